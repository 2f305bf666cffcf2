// protokit web chat: the IRC side. Parses and formats IRC lines (IRCv3 message tags), speaks
// IRC over WebSocket (text.ircv3.net: one line per message, no CR LF), registers with CAP 302
// and SASL (SCRAM-SHA-256 when offered, else PLAIN over TLS), and reconnects with backoff.
// No DOM here: app.js draws what this reports.
"use strict";

const Irc = (() => {
  const TAG_UNESCAPE = { ":": ";", "s": " ", "\\": "\\", "r": "\r", "n": "\n" };

  /** Parses one line into {tags, source, nick, command, params}. */
  function parse(line) {
    let i = 0;
    const tags = {};
    if (line[0] === "@") {
      const end = line.indexOf(" ");
      for (const tag of line.slice(1, end).split(";")) {
        const eq = tag.indexOf("=");
        const key = eq < 0 ? tag : tag.slice(0, eq);
        const raw = eq < 0 ? "" : tag.slice(eq + 1);
        tags[key] = raw.replace(/\\(.?)/g, (_, c) => (c in TAG_UNESCAPE ? TAG_UNESCAPE[c] : c));
      }
      i = end + 1;
      while (line[i] === " ") i++;
    }
    let source = "";
    if (line[i] === ":") {
      const end = line.indexOf(" ", i);
      source = line.slice(i + 1, end);
      i = end + 1;
      while (line[i] === " ") i++;
    }
    const params = [];
    let command = "";
    while (i < line.length) {
      if (line[i] === ":" && command) {
        params.push(line.slice(i + 1));
        break;
      }
      let end = line.indexOf(" ", i);
      if (end < 0) end = line.length;
      const word = line.slice(i, end);
      if (!command) command = word.toUpperCase(); else params.push(word);
      i = end;
      while (line[i] === " ") i++;
    }
    const bang = source.indexOf("!");
    return { tags, source, nick: bang < 0 ? source : source.slice(0, bang), command, params };
  }

  /** Formats a command: the last parameter becomes trailing when it needs to. CR, LF and NUL are refused. */
  function format(command, ...params) {
    for (const p of params) {
      if (/[\r\n\0]/.test(p)) throw new Error("line ends are not allowed in IRC parameters");
    }
    const parts = [command];
    params.forEach((p, idx) => {
      const last = idx === params.length - 1;
      parts.push(last && (p === "" || p.includes(" ") || p[0] === ":") ? ":" + p : p);
    });
    return parts.join(" ");
  }

  function utf8Base64(text) {
    const bytes = new TextEncoder().encode(text);
    let bin = "";
    bytes.forEach((b) => { bin += String.fromCharCode(b); });
    return btoa(bin);
  }

  // ---- SASL SCRAM-SHA-256 (RFC 5802, RFC 7677) with WebCrypto: the password never leaves the page ----
  const enc = new TextEncoder();
  const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
  const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  async function hmac(key, data) {
    const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    return new Uint8Array(await crypto.subtle.sign("HMAC", k, typeof data === "string" ? enc.encode(data) : data));
  }

  /** One SCRAM exchange: first() is the client-first message, final(serverFirst) the proof, check(serverFinal). */
  class Scram {
    constructor(user, password) {
      this.password = password;
      const nonce = new Uint8Array(18);
      crypto.getRandomValues(nonce);
      this.nonce = b64(nonce).replace(/[+/=]/g, "x");
      this.bare = "n=" + user.replace(/=/g, "=3D").replace(/,/g, "=2C") + ",r=" + this.nonce;
    }

    first() {
      return "n,," + this.bare;
    }

    async final(serverFirst) {
      const attrs = Object.fromEntries(serverFirst.split(",").map((a) => [a[0], a.slice(2)]));
      if (!attrs.r || !attrs.r.startsWith(this.nonce) || !attrs.s || !(Number(attrs.i) >= 4096)) {
        throw new Error("unexpected SCRAM server-first message");
      }
      const base = await crypto.subtle.importKey("raw", enc.encode(this.password), "PBKDF2", false, ["deriveBits"]);
      const salted = new Uint8Array(await crypto.subtle.deriveBits(
        { name: "PBKDF2", hash: "SHA-256", salt: unb64(attrs.s), iterations: Number(attrs.i) }, base, 256));
      const clientKey = await hmac(salted, "Client Key");
      const storedKey = new Uint8Array(await crypto.subtle.digest("SHA-256", clientKey));
      const withoutProof = "c=biws,r=" + attrs.r;
      const authMessage = this.bare + "," + serverFirst + "," + withoutProof;
      const signature = await hmac(storedKey, authMessage);
      const proof = clientKey.map((b, i) => b ^ signature[i]);
      this.expected = b64(await hmac(await hmac(salted, "Server Key"), authMessage));
      return withoutProof + ",p=" + b64(proof);
    }

    /** The server proves it holds the verifier too (mutual authentication). */
    check(serverFinal) {
      return serverFinal === "v=" + this.expected;
    }
  }

  /** ASCII casemapping, as the server advertises (CASEMAPPING=ascii). */
  function fold(name) {
    return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
  }

  const WANTED_CAPS = ["sasl", "server-time", "message-tags", "echo-message", "away-notify", "account-tag",
    "batch", "draft/chathistory", "multi-prefix"];

  /**
   * One connection to the server, kept up with exponential backoff (0.5 s doubling to 30 s,
   * jittered). handlers.onMessage(msg) gets every line after registration; handlers.onState
   * (state, detail) gets "connecting", "registered", "disconnected", "failed".
   */
  class Connection {
    constructor(url, account, password, handlers) {
      this.url = url;
      this.account = account;
      this.password = password;
      this.handlers = handlers;
      this.nick = account;
      this.caps = new Set();
      this.delay = 500;
      this.closedByUser = false;
      this.timer = null;
      this.open();
    }

    open() {
      this.handlers.onState("connecting");
      this.registered = false;
      this.caps = new Set();
      const ws = new WebSocket(this.url, ["text.ircv3.net"]);
      this.ws = ws;
      ws.onopen = () => {
        this.send("CAP", "LS", "302");
        this.send("NICK", this.account);
        this.send("USER", this.account, "0", "*", this.account);
      };
      ws.onmessage = (e) => {
        if (typeof e.data === "string") this.receive(parse(e.data));
      };
      ws.onclose = () => {
        if (this.ws !== ws) return;
        this.handlers.onState("disconnected");
        if (!this.closedByUser && !this.fatal) this.retry();
      };
    }

    retry() {
      const wait = Math.min(30000, this.delay) * (0.75 + Math.random() * 0.5);
      this.delay = Math.min(30000, this.delay * 2);
      this.handlers.onState("waiting", Math.round(wait / 1000));
      this.timer = setTimeout(() => this.open(), wait);
    }

    send(command, ...params) {
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(format(command, ...params));
    }

    close() {
      this.closedByUser = true;
      clearTimeout(this.timer);
      this.send("QUIT", "web client closed");
      if (this.ws) this.ws.close();
    }

    receive(m) {
      switch (m.command) {
        case "PING": this.send("PONG", m.params[m.params.length - 1] || ""); return;
        case "CAP": this.cap(m); return;
        case "AUTHENTICATE": this.authenticate(m.params[0]); return;
        case "903": this.send("CAP", "END"); return;
        case "904": case "905": case "906":
          this.fatal = true;
          this.handlers.onState("failed", "Login failed: wrong account or password.");
          this.ws.close();
          return;
        case "433":
          if (!this.registered) {
            this.fatal = true;
            this.handlers.onState("failed", m.params[m.params.length - 1]);
            this.ws.close();
            return;
          }
          break;
        case "001":
          this.registered = true;
          this.nick = m.params[0];
          this.delay = 500;
          this.handlers.onState("registered");
          break;
        case "ERROR":
          break;
        default:
      }
      if (this.registered || m.command === "ERROR") this.handlers.onMessage(m);
    }

    /** SASL: SCRAM-SHA-256 when the server offers it (mutual, no password sent), else PLAIN (TLS). */
    async authenticate(param) {
      const chunks = (text) => {
        const blob = utf8Base64(text);
        for (let i = 0; i < blob.length; i += 400) this.send("AUTHENTICATE", blob.slice(i, i + 400));
        if (blob.length % 400 === 0) this.send("AUTHENTICATE", "+");
      };
      if (!this.scram) {
        if (param === "+") chunks("\0" + this.account + "\0" + this.password);
        return;
      }
      try {
        if (param === "+" && this.scramStep === 0) {
          this.scramStep = 1;
          chunks(this.scram.first());
        } else if (this.scramStep === 1) {
          this.scramStep = 2;
          chunks(await this.scram.final(new TextDecoder().decode(unb64(param))));
        } else if (this.scramStep === 2) {
          this.scramStep = 3;
          if (!this.scram.check(new TextDecoder().decode(unb64(param)))) throw new Error("the server's SCRAM signature is wrong");
          this.send("AUTHENTICATE", "+");
        }
      } catch (e) {
        this.fatal = true;
        this.handlers.onState("failed", "Login failed: " + e.message);
        this.ws.close();
      }
    }

    cap(m) {
      const sub = m.params[1];
      if (sub === "LS") {
        const more = m.params[2] === "*";
        const raw = m.params[m.params.length - 1].split(" ");
        const sasl = raw.find((c) => c.startsWith("sasl="));
        if (sasl) this.mechanisms = sasl.slice(5).split(",");
        this.offered = (this.offered || []).concat(raw.map((c) => c.split("=")[0]));
        if (more) return;
        const want = WANTED_CAPS.filter((c) => this.offered.includes(c));
        this.offered = [];
        if (want.length) this.send("CAP", "REQ", want.join(" ")); else this.send("CAP", "END");
      } else if (sub === "ACK") {
        m.params[m.params.length - 1].split(" ").filter(Boolean).forEach((c) => this.caps.add(c));
        if (this.caps.has("sasl") && this.password) {
          const scram = (this.mechanisms || []).includes("SCRAM-SHA-256") && window.crypto && crypto.subtle;
          this.scram = scram ? new Scram(this.account, this.password) : null;
          this.scramStep = 0;
          this.mechanism = scram ? "SCRAM-SHA-256" : "PLAIN";
          this.send("AUTHENTICATE", this.mechanism);
        } else {
          this.send("CAP", "END");
        }
      } else if (sub === "NAK") {
        this.send("CAP", "END");
      }
    }
  }

  return { parse, format, fold, Connection };
})();
