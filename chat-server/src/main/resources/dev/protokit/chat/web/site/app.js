// protokit web chat: the page. Draws conversations (rooms and direct messages) from what
// irc.js reports; keeps per-conversation history deduplicated by msgid, so the scroll-back
// (CHATHISTORY BEFORE) and the catch-up after a reconnect (CHATHISTORY AFTER the last msgid)
// never show a message twice or leave a gap. Presence (presence.js) is fed the room events.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const PAGE = 50;
  const CATCH_UP = 100;
  const PRESENCE_POLL_MS = 60_000;
  const state = { conn: null, account: "", me: "", convs: new Map(), active: null, batches: new Map(), shown: false,
    uploads: new Map() };

  const isRoom = (name) => name.startsWith("#");
  const roomsKey = () => "protokit.rooms." + Irc.fold(state.account);

  function conv(name) {
    const key = Irc.fold(name);
    let c = state.convs.get(key);
    if (!c) {
      c = { key, name, room: isRoom(name), messages: [], ids: new Set(), unread: 0, topic: "", members: new Map(),
        joined: false, wanted: isRoom(name), pending: [], noOlder: false };
      state.convs.set(key, c);
      if (!c.room && key !== "*server*") presence.ask(name);
      drawLists();
    }
    return c;
  }

  /** Whether the nick is online in a room we are in: JOIN, QUIT and AWAY then keep its presence current. */
  function sharesRoom(nick) {
    for (const c of state.convs.values()) {
      const m = c.room && c.joined && members(c, nick);
      if (m && !m.gone) return true;
    }
    return false;
  }

  /** Direct-message partners we see in no room: nothing tells us when they come or go, so they are asked now and then. */
  function unseenPartners() {
    return [...state.convs.values()].filter((c) => !c.room && c.key !== "*server*" && !sharesRoom(c.name)).map((c) => c.name);
  }

  const presence = new Presence({
    send: (...line) => { if (!state.conn || !state.me) return false; state.conn.send(...line); return true; },
    sharesRoom: (nick) => sharesRoom(nick),
    changed: () => { drawLists(); drawMembers(); drawHeader(); },
  });

  // ---- history requests: each sent request waits for its batch, in order, per target ----
  function history(c, kind, ref, limit) {
    c.pending.push({ kind, limit });
    state.conn.send("CHATHISTORY", kind, c.name, ref, String(limit));
  }
  const newest = (c) => [...c.messages].reverse().find((m) => m.msgid);
  const oldest = (c) => c.messages.find((m) => m.msgid);

  function catchUp(c) {
    const last = newest(c);
    if (last) history(c, "AFTER", "msgid=" + last.msgid, CATCH_UP); else history(c, "LATEST", "*", PAGE);
  }

  // ---- messages ----
  function addMessage(c, msg, fromHistory) {
    if (msg.msgid) {
      if (c.ids.has(msg.msgid)) return;
      c.ids.add(msg.msgid);
    }
    let i = c.messages.length;
    while (i > 0 && c.messages[i - 1].time > msg.time) i--;
    c.messages.splice(i, 0, msg);
    const atEnd = i === c.messages.length - 1;
    if (c === state.active) {
      if (atEnd) appendMessage(msg); else drawMessages(fromHistory);
    } else if (!fromHistory && !msg.system) {
      c.unread++;
      drawLists();
    }
    if (!fromHistory && !msg.system && msg.nick !== state.me && (msg.mention || !c.room)) notify(c, msg);
  }

  function system(c, text) {
    addMessage(c || state.active || conv("*server*"), { time: new Date(), nick: "", text, system: true }, false);
  }

  function mentions(text) {
    if (!state.me) return false;
    const me = state.me.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp("(^|[^\\w])" + me + "($|[^\\w])", "i").test(text);
  }

  function notify(c, msg) {
    if (!document.hidden || !("Notification" in window) || Notification.permission !== "granted") return;
    const n = new Notification((c.room ? c.name + ": " : "") + msg.nick, { body: msg.text, tag: c.key });
    n.onclick = () => { window.focus(); select(c); };
  }

  // ---- drawing ----
  function messageItem(msg) {
    const li = document.createElement("li");
    if (msg.system) li.className = "system";
    if (msg.mention) li.className = "mention";
    if (msg.msgid) li.dataset.msgid = msg.msgid;
    const t = document.createElement("time");
    t.dateTime = msg.time.toISOString();
    t.title = msg.time.toLocaleString();
    t.textContent = msg.time.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    li.append(t);
    if (msg.nick) {
      const n = document.createElement("span");
      n.className = "nick";
      n.textContent = msg.action ? "* " + msg.nick : msg.nick;
      li.append(n);
    }
    li.append(document.createTextNode(msg.text));
    const offer = /\[attachment ([A-Za-z0-9_-]{22})\]$/.exec(msg.text);
    if (offer) {
      // Files shared from the native client: ask for a signed, expiring link, then download it.
      const get = document.createElement("button");
      get.type = "button";
      get.className = "download";
      get.textContent = "Download";
      const name = /shared a file: (.*) \(/.exec(msg.text);
      get.setAttribute("aria-label", "Download " + (name ? name[1] : "the file"));
      get.addEventListener("click", () => state.conn && state.conn.send("FILELINK", offer[1]));
      li.append(" ", get);
    }
    if (msg.mention) li.setAttribute("aria-label", "Mention: " + (msg.nick || "") + " " + msg.text);
    return li;
  }

  function nearBottom(list) {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  function appendMessage(msg) {
    const list = $("messages");
    const stick = nearBottom(list);
    list.append(messageItem(msg));
    if (stick) list.scrollTop = list.scrollHeight;
  }

  function drawMessages(keepPosition) {
    const list = $("messages");
    const fromBottom = list.scrollHeight - list.scrollTop;
    list.replaceChildren(...(state.active ? state.active.messages.map(messageItem) : []));
    list.scrollTop = keepPosition ? list.scrollHeight - fromBottom : list.scrollHeight;
  }

  function convButton(c) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.conv = c.key;
    const name = document.createElement("span");
    name.textContent = c.name;
    b.append(name);
    if (c.unread) {
      const u = document.createElement("span");
      u.className = "unread";
      u.textContent = String(c.unread);
      b.append(u);
    }
    const p = !c.room && presence.get(c.name);
    if (p) {
      b.classList.add("presence", p.status);
      b.dataset.presence = p.status;
    }
    b.setAttribute("aria-label", c.name + (p ? ", " + p.status : "") + (c.unread ? ", " + c.unread + " unread" : ""));
    if (c === state.active) b.setAttribute("aria-current", "true");
    b.addEventListener("click", () => select(c));
    li.append(b);
    return li;
  }

  function drawLists() {
    const all = [...state.convs.values()].filter((c) => c.key !== "*server*");
    $("room-list").replaceChildren(...all.filter((c) => c.room && c.joined).map(convButton));
    $("dm-list").replaceChildren(...all.filter((c) => !c.room).map(convButton));
    const unread = all.reduce((n, c) => n + c.unread, 0);
    document.title = (unread ? "(" + unread + ") " : "") + "protokit chat";
  }

  function drawMembers() {
    const c = state.active;
    // Online and away members first, then those who quit (offline, with when they were last seen).
    const items = c && c.room ? [...c.members.values()].sort((a, b) => (a.gone === b.gone ? a.nick.localeCompare(b.nick) : a.gone ? 1 : -1)) : [];
    $("member-list").replaceChildren(...items.map((m) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      const p = presence.get(m.nick) || { status: "online" };
      const shown = p.status === "online" ? "" : " (" + (p.status === "offline" && p.lastSeen
        ? "offline, last seen " + p.lastSeen.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : p.status) + ")";
      b.textContent = (m.gone ? "" : m.prefix) + m.nick + shown;
      b.className = "presence " + p.status;
      b.dataset.presence = p.status;
      b.setAttribute("aria-label", "Message " + m.nick + ", " + Presence.text(p));
      b.addEventListener("click", () => { const d = conv(m.nick); select(d); if (!d.messages.length) catchUp(d); });
      li.append(b);
      return li;
    }));
  }

  function drawHeader() {
    const c = state.active;
    $("conversation-title").textContent = c ? c.name : "protokit chat";
    $("topic").textContent = c && c.topic ? c.topic : "";
    const p = c && !c.room && c.key !== "*server*" && presence.get(c.name);
    $("presence").hidden = !p;
    $("presence").dataset.presence = p ? p.status : "";
    $("presence").textContent = p ? Presence.text(p) : "";
    if (p && p.lastSeen) $("presence").dataset.lastSeen = p.lastSeen.toISOString(); else delete $("presence").dataset.lastSeen;
    $("older").hidden = !c || c.key === "*server*";
    $("part").hidden = !c || !c.room;
  }

  function select(c) {
    state.active = c;
    if (!c.room && c.key !== "*server*" && !sharesRoom(c.name)) presence.ask(c.name);
    c.unread = 0;
    drawHeader();
    drawLists();
    drawMembers();
    drawMessages(false);
    closePanels();
    $("send-text").focus();
  }

  // ---- the IRC events ----
  function members(c, nick) {
    return c.members.get(Irc.fold(nick));
  }

  function forEachRoomWith(nick, f) {
    for (const c of state.convs.values()) {
      const m = c.room && members(c, nick);
      if (m && !m.gone) f(c, m);
    }
  }

  function onMessage(m) {
    const p = m.params;
    const batch = m.tags.batch && state.batches.get(m.tags.batch);
    if (batch) batch.count++;
    const time = m.tags.time ? new Date(m.tags.time) : new Date();
    if (presence.reply(m)) return;
    switch (m.command) {
      case "BATCH": {
        const id = p[0].slice(1);
        if (p[0][0] === "+") {
          state.batches.set(id, { type: p[1], target: p[2], count: 0 });
        } else {
          const b = state.batches.get(id);
          state.batches.delete(id);
          if (b && b.type === "chathistory") historyDone(conv(b.target), b.count);
        }
        return;
      }
      case "PRIVMSG": case "NOTICE": {
        if (!m.source.includes("!")) { system(null, p[p.length - 1]); return; }
        const target = p[0];
        const mine = Irc.fold(m.nick) === Irc.fold(state.me);
        const c = isRoom(target) ? conv(target) : conv(mine ? target : m.nick);
        let text = p[1] || "";
        let action = false;
        const ctcp = /^\x01ACTION (.*)\x01?$/.exec(text);
        if (ctcp) { text = ctcp[1].replace(/\x01$/, ""); action = true; } else if (text.startsWith("\x01")) return;
        addMessage(c, { msgid: m.tags.msgid, time, nick: m.nick, text, action, mention: !mine && mentions(text) }, !!batch);
        return;
      }
      case "CHATHISTORY":
        if (p[0] === "TARGETS" && !isRoom(p[1])) { const c = conv(p[1]); if (!c.messages.length) catchUp(c); }
        return;
      case "JOIN": {
        const c = conv(p[0]);
        if (Irc.fold(m.nick) === Irc.fold(state.me)) {
          c.joined = true;
          c.wanted = true;
          c.members = new Map();
          saveRooms();
          catchUp(c);
          state.conn.send("WHO", c.name);
          drawLists();
          if (!state.active || state.active.key === "*server*" || c.selectOnJoin) { c.selectOnJoin = false; select(c); }
        } else {
          c.members.set(Irc.fold(m.nick), { nick: m.nick, prefix: "", gone: false });
          presence.here(m.nick);
          drawLists();
          drawHeader();
          system(c, m.nick + " joined");
        }
        if (c === state.active) drawMembers();
        return;
      }
      case "PART": case "KICK": {
        const c = conv(p[0]);
        const who = m.command === "KICK" ? p[1] : m.nick;
        c.members.delete(Irc.fold(who));
        if (Irc.fold(who) === Irc.fold(state.me)) {
          c.joined = false;
          c.wanted = false;
          saveRooms();
          drawLists();
          if (state.active === c) { const next = [...state.convs.values()].find((x) => x.joined); if (next) select(next); }
        } else {
          if (state.convs.has(Irc.fold(who)) && !sharesRoom(who)) presence.ask(who); // a partner we no longer see
          system(c, who + (m.command === "KICK" ? " was kicked by " + m.nick : " left") + (p[p.length - 1] && p.length > (m.command === "KICK" ? 2 : 1) ? " (" + p[p.length - 1] + ")" : ""));
        }
        if (c === state.active) drawMembers();
        return;
      }
      case "QUIT":
        // Kept in the member list as offline, last seen at the server's time of the QUIT.
        forEachRoomWith(m.nick, (c, mem) => { mem.gone = true; system(c, m.nick + " quit (" + (p[0] || "") + ")"); });
        presence.set(m.nick, "offline", time);
        return;
      case "NICK": {
        forEachRoomWith(m.nick, (c, mem) => { c.members.delete(Irc.fold(m.nick)); mem.nick = p[0]; c.members.set(Irc.fold(p[0]), mem); });
        presence.rename(m.nick, p[0]);
        if (Irc.fold(m.nick) === Irc.fold(state.me)) { state.me = p[0]; $("me").textContent = state.me; }
        drawMembers();
        return;
      }
      case "TOPIC": {
        const c = conv(p[0]);
        c.topic = p[1] || "";
        system(c, m.nick + " set the topic: " + c.topic);
        if (c === state.active) drawHeader();
        return;
      }
      case "332": { const c = conv(p[1]); c.topic = p[2] || ""; if (c === state.active) drawHeader(); return; }
      case "353": {
        const c = conv(p[2]);
        for (const word of (p[3] || "").split(" ").filter(Boolean)) {
          const nick = word.replace(/^[@+]+/, "");
          c.members.set(Irc.fold(nick), { nick, prefix: word.slice(0, word.length - nick.length).slice(0, 1), gone: false });
          presence.here(nick);
        }
        if (c === state.active) drawMembers();
        drawLists();
        return;
      }
      case "352": { // WHO after our JOIN: H(ere) or G(one, away)
        const away = (p[6] || "").startsWith("G");
        const known = presence.get(p[5]);
        if (!known || known.status !== (away ? "away" : "online")) presence.set(p[5], away ? "away" : "online");
        return;
      }
      case "AWAY": // away-notify: someone in one of our rooms went away (with a text) or came back
        presence.set(m.nick, p.length > 0 && p[0] !== "" ? "away" : "online", p[0]);
        return;
      case "301": system(conv(p[1]), p[1] + " is away: " + (p[2] || "")); return;
      case "305": setStatus("You are back."); $("away-button").textContent = "Set away"; return;
      case "306": setStatus("You are marked away."); $("away-button").textContent = "Update away"; return;
      case "FILELINK": {
        const a = document.createElement("a");
        a.href = p[1];
        a.download = "";
        a.hidden = true;
        document.body.append(a);
        a.click();
        a.remove();
        return;
      }
      case "FILEUPLOAD": upload(p[0], p[1]); return;
      case "FAIL": system(null, p.slice(2).join(" ")); return;
      case "ERROR": setStatus(p[0] || "Disconnected"); return;
      default:
        if (/^[45]\d\d$/.test(m.command)) system(null, p.slice(1).join(" "));
    }
  }

  function historyDone(c, count) {
    const req = c.pending.shift();
    if (!req) return;
    if (req.kind === "BEFORE" || req.kind === "LATEST") {
      if (count < req.limit) c.noOlder = true;
      if (c === state.active) $("older").disabled = c.noOlder;
    }
    if (req.kind === "AFTER" && count >= req.limit) catchUp(c); // more missed than one page: keep going
  }

  function saveRooms() {
    const rooms = [...state.convs.values()].filter((c) => c.room && c.wanted).map((c) => c.name);
    localStorage.setItem(roomsKey(), JSON.stringify(rooms));
  }

  function setStatus(text) {
    $("status").textContent = text;
  }

  function onState(s, detail) {
    switch (s) {
      case "connecting": setStatus("Connecting…"); break;
      case "waiting": setStatus("Disconnected; retrying in " + detail + " s"); break;
      case "disconnected": setStatus("Disconnected"); break;
      case "failed":
        state.conn = null;
        showLogin(detail);
        break;
      case "registered": registered(); break;
      default:
    }
  }

  function registered() {
    state.me = state.conn.nick;
    $("me").textContent = state.me;
    setStatus("Connected as " + state.me);
    if (!state.shown) {
      state.shown = true;
      $("login-view").hidden = true;
      $("chat-view").hidden = false;
      $("send-text").focus();
      let saved = [];
      try { saved = JSON.parse(localStorage.getItem(roomsKey()) || "[]"); } catch (e) { saved = []; }
      saved.forEach((r) => { conv(r).wanted = true; });
      state.conn.send("CHATHISTORY", "TARGETS", "timestamp=1970-01-01T00:00:00.000Z", "timestamp=" + new Date(Date.now() + 86400000).toISOString(), "50");
    }
    // After a reconnect: rejoin (the JOIN handler catches up after the last msgid), and catch up DMs.
    presence.start(unseenPartners, PRESENCE_POLL_MS);
    for (const c of state.convs.values()) {
      c.pending = [];
      if (!c.room && c.key !== "*server*") presence.ask(c.name);
      if (c.room && c.wanted) state.conn.send("JOIN", c.name);
      else if (!c.room && c.key !== "*server*" && c.messages.length) catchUp(c);
    }
    if (!state.active) drawHeader();
  }

  function showLogin(error) {
    $("chat-view").hidden = true;
    $("login-view").hidden = false;
    $("login-error").textContent = error || "";
    $("login-button").disabled = false;
    state.shown = false;
    state.convs = new Map();
    presence.stop();
    state.active = null;
    $("login-account").focus();
  }

  // ---- what the user does ----
  function command(text) {
    const c = state.active;
    const [cmd, ...rest] = text.slice(1).split(" ");
    const arg = rest.join(" ");
    switch (cmd.toLowerCase()) {
      case "join": join(rest[0]); break;
      case "part": if (c && c.room) state.conn.send("PART", c.name, arg || "bye"); break;
      case "me": if (c) state.conn.send("PRIVMSG", c.name, "\x01ACTION " + arg + "\x01"); break;
      case "topic": if (c && c.room) state.conn.send("TOPIC", c.name, arg); break;
      case "msg": { const d = conv(rest[0]); state.conn.send("PRIVMSG", d.name, rest.slice(1).join(" ")); select(d); break; }
      case "away": if (arg) state.conn.send("AWAY", arg); else state.conn.send("AWAY"); break;
      case "back": state.conn.send("AWAY"); break;
      case "quit": logout(); break;
      default: system(c, "Unknown command /" + cmd);
    }
  }

  // ---- sharing a file: FILEUPLOAD gives a signed path; the POST's answer is the offer to send ----
  function share(file) {
    const c = state.active;
    if (!c || c.key === "*server*" || !state.conn) return;
    state.uploads.set(Irc.fold(c.name), file);
    state.conn.send("FILEUPLOAD", c.name, String(file.size), file.type || "application/octet-stream", file.name);
  }

  function upload(target, path) {
    const file = state.uploads.get(Irc.fold(target));
    state.uploads.delete(Irc.fold(target));
    if (!file) return;
    const bar = $("upload-progress");
    const status = $("upload-status");
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "Uploading " + file.name + ": 0%";
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      bar.value = Math.round((100 * e.loaded) / e.total);
      status.textContent = "Uploading " + file.name + ": " + bar.value + "%";
    };
    xhr.onload = () => {
      bar.hidden = true;
      if (xhr.status === 200) {
        status.textContent = "Uploaded " + file.name;
        state.conn.send("PRIVMSG", target, xhr.responseText.trim());
      } else {
        status.textContent = "Upload of " + file.name + " failed";
        system(conv(target), "Upload failed: " + xhr.responseText.trim());
      }
    };
    xhr.onerror = () => { bar.hidden = true; status.textContent = "Upload of " + file.name + " failed"; system(conv(target), "Upload failed"); };
    xhr.send(file);
  }

  /** Joins a room, or only shows it when already in it. */
  function join(name) {
    if (!name) return;
    const r = conv(name.startsWith("#") ? name : "#" + name);
    if (r.joined) { select(r); return; }
    r.selectOnJoin = true;
    state.conn.send("JOIN", r.name);
  }

  function logout() {
    if (state.conn) state.conn.close();
    state.conn = null;
    showLogin("");
  }

  function closePanels() {
    for (const [panel, button] of [["rooms", "toggle-rooms"], ["members", "toggle-members"]]) {
      $(panel).classList.remove("open");
      $(button).setAttribute("aria-expanded", "false");
    }
  }

  function toggle(panel, button) {
    const open = !$(panel).classList.contains("open");
    closePanels();
    if (open) {
      $(panel).classList.add("open");
      $(button).setAttribute("aria-expanded", "true");
      const first = $(panel).querySelector("button, input");
      if (first) first.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", (e) => {
      e.preventDefault();
      if ("Notification" in window && Notification.permission === "default") Notification.requestPermission();
      state.account = $("login-account").value.trim();
      const password = $("login-password").value;
      $("login-password").value = "";
      $("login-error").textContent = "";
      $("login-button").disabled = true;
      const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/irc";
      state.conn = new Irc.Connection(url, state.account, password, { onMessage, onState });
    });
    $("send-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const input = $("send-text");
      const text = input.value;
      if (!text.trim() || !state.conn) return;
      if (text.startsWith("/")) command(text);
      else if (state.active && state.active.key !== "*server*") state.conn.send("PRIVMSG", state.active.name, text);
      input.value = "";
    });
    $("join-form").addEventListener("submit", (e) => {
      e.preventDefault();
      join($("join-name").value.trim());
      $("join-name").value = "";
    });
    $("dm-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const d = conv($("dm-name").value.trim());
      $("dm-name").value = "";
      select(d);
      if (!d.messages.length) catchUp(d);
    });
    $("away-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const text = $("away-text").value.trim();
      if (text) state.conn.send("AWAY", text); else state.conn.send("AWAY");
    });
    $("older").addEventListener("click", () => {
      const c = state.active;
      const first = c && oldest(c);
      if (first && !c.noOlder) history(c, "BEFORE", "msgid=" + first.msgid, PAGE);
    });
    $("file-input").addEventListener("change", () => {
      const input = $("file-input");
      if (input.files && input.files[0]) share(input.files[0]);
      input.value = "";
    });
    $("file-form").addEventListener("submit", (e) => e.preventDefault());
    $("part").addEventListener("click", () => { if (state.active && state.active.room) state.conn.send("PART", state.active.name, "bye"); });
    $("logout").addEventListener("click", logout);
    $("toggle-rooms").addEventListener("click", () => toggle("rooms", "toggle-rooms"));
    $("toggle-members").addEventListener("click", () => toggle("members", "toggle-members"));
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      // Back to the button that opened the panel, so the keyboard user is not left nowhere.
      const from = document.activeElement && document.activeElement.closest("#rooms.open, #members.open");
      closePanels();
      if (from) $(from.id === "rooms" ? "toggle-rooms" : "toggle-members").focus();
    });
    $("login-account").focus();
  });
})();
