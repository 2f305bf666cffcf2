// protokit web chat: presence. Who is online, away or offline (with the last-seen time), from
// what IRC already says: app.js reports JOIN, QUIT, away-notify and WHO for people who share a
// room with us; for direct-message partners we share no room with, this asks WHOIS (311 online,
// 301 away, 320 "... last seen TIME" offline, 401 unknown) and takes the replies, which are then
// not shown as messages. No DOM here.
"use strict";

class Presence {
  /**
   * hooks.send(command, ...params) sends when connected (true) or not (false); hooks.sharesRoom(nick)
   * says whether room events keep that nick current; hooks.changed() redraws.
   */
  constructor(hooks) {
    this.hooks = hooks;
    this.people = new Map(); // folded nick -> {nick, status: "online"|"away"|"offline", away, lastSeen}
    this.asked = new Map(); // folded nick -> the WHOIS answer being gathered
    this.timer = null;
  }

  get(nick) {
    return this.people.get(Irc.fold(nick));
  }

  /** detail: the away text for "away", the last-seen Date (or null) for "offline". */
  set(nick, status, detail) {
    const old = this.get(nick) || {};
    this.people.set(Irc.fold(nick), { nick, status, away: status === "away" ? (detail || old.away || "") : "",
      lastSeen: status === "offline" ? (detail || null) : null });
    this.hooks.changed();
  }

  /** Seen in a room (NAMES, JOIN): online unless we know better. Quiet: the caller redraws. */
  here(nick) {
    const known = this.get(nick);
    if (!known || known.status === "offline") this.people.set(Irc.fold(nick), { nick, status: "online", away: "", lastSeen: null });
  }

  rename(from, to) {
    const known = this.get(from);
    if (!known) return;
    this.people.delete(Irc.fold(from));
    known.nick = to;
    this.people.set(Irc.fold(to), known);
  }

  static text(p) {
    if (!p) return "";
    if (p.status === "away") return "away" + (p.away ? ": " + p.away : "");
    if (p.status === "offline") return "offline" + (p.lastSeen ? ", last seen " + p.lastSeen.toLocaleString() : "");
    return "online";
  }

  /** Asks the server about a nick (once at a time). */
  ask(nick) {
    const key = Irc.fold(nick);
    if (this.asked.has(key) || !this.hooks.send("WHOIS", nick)) return;
    this.asked.set(key, { nick, status: "offline", away: "", lastSeen: null });
  }

  /** Takes a WHOIS reply about a nick asked for: true when it was one (and is not to be shown). */
  reply(m) {
    if (!/^(301|311|312|313|317|318|319|320|330|401)$/.test(m.command)) return false;
    const p = m.params;
    const w = p.length > 1 && this.asked.get(Irc.fold(p[1]));
    if (!w) return false;
    switch (m.command) {
      case "311": w.status = w.status === "away" ? "away" : "online"; break;
      case "301": w.status = "away"; w.away = p[2] || ""; break;
      case "320": {
        const seen = /last seen (\S+)$/.exec(p[2] || "");
        const when = seen && seen[1] !== "never" ? new Date(seen[1]) : null;
        if (when && !isNaN(when)) w.lastSeen = when;
        break;
      }
      case "318":
        this.asked.delete(Irc.fold(p[1]));
        // Room events are fresher than an answer to a question asked before them.
        if (!this.hooks.sharesRoom(w.nick)) this.set(w.nick, w.status, w.status === "away" ? w.away : w.lastSeen);
        break;
      default:
    }
    return true;
  }

  /** After (re)registering: nothing is pending; targets() (partners seen in no room) are asked every period. */
  start(targets, periodMs) {
    this.asked = new Map();
    clearInterval(this.timer);
    this.timer = setInterval(() => targets().forEach((nick) => this.ask(nick)), periodMs);
  }

  /** Logged out: forget everyone. */
  stop() {
    clearInterval(this.timer);
    this.people = new Map();
    this.asked = new Map();
  }
}
