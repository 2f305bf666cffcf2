// chat-server's web client in Debian's headless Chromium, driven by playwright-core (no
// browser downloaded). Run by interop/chat-web.sh, which starts the server and passes:
//   WEB_URL (https://127.0.0.1:PORT/), NATIVE (host:port), CHAT (bin/chat), KEY_CAROL,
//   OUT (artefacts), CONTROL (a directory for restart requests), PASS_ALICE, PASS_BOB,
//   PY_NATIVE (interop/chat_native.py, which shares a file natively).
// Prints PASS/FAIL lines and ends with "N passed, N failed".
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const env = process.env;
const WAIT = 30_000;
let passed = 0;
let failed = 0;
const ok = (name) => { passed++; console.log("PASS " + name); };
const fail = (name, why) => { failed++; console.log("FAIL " + name + (why ? " (" + String(why).split("\n")[0] + ")" : "")); };
async function check(name, f) {
  try { await f(); ok(name); } catch (e) { fail(name, e.message); }
}
const shots = env.OUT + "/screens";
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

async function session(viewport) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport });
  const page = await context.newPage();
  const frames = [];
  const sent = [];
  page.on("websocket", (ws) => {
    ws.on("framereceived", (f) => frames.push(String(f.payload)));
    ws.on("framesent", (f) => sent.push(String(f.payload)));
  });
  page.on("pageerror", (e) => fail("no script error in the page", e.message));
  return { context, page, frames, sent };
}

/** Logs in with the keyboard alone: the account field has focus, Tab to the password, Enter. */
async function login(page, account, password) {
  await page.goto(env.WEB_URL);
  await page.waitForSelector("#login-account:focus", { timeout: WAIT });
  await page.keyboard.type(account);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#chat-view:not([hidden])", { timeout: WAIT });
  await page.waitForSelector("#send-text:focus", { timeout: WAIT });
}

async function say(page, text) {
  await page.fill("#send-text", text);
  await page.press("#send-text", "Enter");
}

// A message line whose text ends with `text` (so "backlog 5" is not "backlog 50").
const line = (page, text) => page.locator("#messages li",
  { hasText: new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "$") });
const seen = (page, text) => line(page, text).first().waitFor({ timeout: WAIT });

function native(text) {
  execFileSync(env.CHAT, ["--server", env.NATIVE, "--key", env.KEY_CAROL, "send", "--room", "general", text],
    { stdio: ["ignore", "ignore", "inherit"], timeout: 60_000 });
}

/** Asks interop/chat-web.sh to restart the server, and waits until it is back. */
async function restartServer() {
  writeFileSync(env.CONTROL + "/restart", "");
  for (let i = 0; i < 1200 && !existsSync(env.CONTROL + "/restarted"); i++) await sleep(100);
  if (!existsSync(env.CONTROL + "/restarted")) throw new Error("the server did not come back");
}

const alice = await session({ width: 1280, height: 800 });
const bob = await session({ width: 390, height: 844 });

try {
  await alice.page.goto(env.WEB_URL);
  await alice.page.screenshot({ path: shots + "/login.png" });
  await check("every response carries the CSP without inline script", async () => {
    const r = await alice.page.request.get(env.WEB_URL);
    const csp = r.headers()["content-security-policy"] || "";
    if (!csp.includes("script-src 'self'") || csp.includes("unsafe-inline") || !r.headers()["strict-transport-security"]) {
      throw new Error(csp);
    }
  });

  // A backlog longer than one page, from a guest on a raw IRC WebSocket in the page.
  await check("a raw WebSocket guest fills the backlog (text.ircv3.net)", async () => {
    const n = await alice.page.evaluate(async (url) => new Promise((resolve, reject) => {
      const ws = new WebSocket(url, ["text.ircv3.net"]);
      let sent = 0;
      ws.onopen = () => { ws.send("NICK filler"); ws.send("USER filler 0 * :Filler"); };
      ws.onmessage = (e) => {
        if (e.data.includes(" 376 ") || e.data.includes(" 422 ")) {
          ws.send("JOIN #general");
          for (let i = 0; i < 70; i++) ws.send("PRIVMSG #general :backlog " + i);
          ws.send("PING :done");
          sent = 70;
        } else if (e.data.includes("PONG") && sent) {
          ws.send("QUIT :done");
          resolve(sent);
        }
      };
      ws.onerror = () => reject(new Error("WebSocket failed"));
    }), env.WEB_URL.replace("https://", "wss://") + "irc");
    if (n !== 70) throw new Error("sent " + n);
  });

  await check("alice logs in over wss by keyboard, with SASL SCRAM-SHA-256 (no password on the wire)", async () => {
    await login(alice.page, "alice", env.PASS_ALICE);
    if (!alice.sent.includes("AUTHENTICATE SCRAM-SHA-256")) throw new Error("mechanism: " + alice.sent.filter((f) => f.startsWith("AUTH")));
    if (alice.sent.some((f) => f.includes(env.PASS_ALICE) || f.includes(Buffer.from(env.PASS_ALICE).toString("base64")))) {
      throw new Error("the password was sent");
    }
  });
  await check("alice joins #general and sees the latest page of history", async () => {
    await alice.page.fill("#join-name", "#general");
    await alice.page.press("#join-name", "Enter");
    await seen(alice.page, "backlog 69");
    if (await line(alice.page, "backlog 5").count() !== 0) throw new Error("more than one page shown at first");
  });
  await check("scroll-back through CHATHISTORY BEFORE reaches the first message", async () => {
    await alice.page.click("#older");
    await seen(alice.page, "backlog 0");
  });

  await check("bob logs in on a phone-sized screen and joins by command", async () => {
    await login(bob.page, "bob", env.PASS_BOB);
    await say(bob.page, "/join #general");
    await seen(bob.page, "backlog 69");
  });

  await check("a message from alice's browser reaches bob's", async () => {
    await say(alice.page, "hello from alice");
    await seen(bob.page, "hello from alice");
  });
  await check("bob's reply reaches alice, highlighted as a mention", async () => {
    await say(bob.page, "hi alice, bob here");
    await alice.page.locator("#messages li.mention", { hasText: "bob here" }).waitFor({ timeout: WAIT });
  });
  await check("the native client (bin/chat send) reaches both browsers", async () => {
    native("native hello from carol");
    await seen(alice.page, "native hello from carol");
    await seen(bob.page, "native hello from carol");
  });
  await check("a file the native client shares downloads in bob's browser, byte for byte", async () => {
    const file = env.OUT + "/report.txt";
    const content = "quarterly report ü\n".repeat(2000);
    writeFileSync(file, content);
    execFileSync("python3", [env.PY_NATIVE, "--port", env.NATIVE.split(":")[1], "--key", env.KEY_CAROL, "attach",
      "--room", "general", "--name", "report ü.txt", "--media-type", "text/plain", file], { stdio: "ignore", timeout: 60_000 });
    await bob.page.locator("#messages li", { hasText: "report ü.txt" }).first().waitFor({ timeout: WAIT });
    const [download] = await Promise.all([
      bob.page.waitForEvent("download", { timeout: WAIT }),
      bob.page.locator("#messages li", { hasText: "report ü.txt" }).locator("button.download").click(),
    ]);
    if (download.suggestedFilename() !== "report ü.txt") throw new Error("saved as " + download.suggestedFilename());
    const saved = readFileSync(await download.path(), "utf8");
    if (saved !== content) throw new Error("downloaded " + saved.length + " characters, expected " + content.length);
  });
  await check("bob shares a file from his browser; alice sees the offer and downloads it", async () => {
    const content = "uploaded from a phone\n".repeat(5000);
    await bob.page.setInputFiles("#file-input", { name: "from-bob.txt", mimeType: "text/plain", buffer: Buffer.from(content) });
    const offer = alice.page.locator("#messages li", { hasText: "shared a file: from-bob.txt" }).first();
    await offer.waitFor({ timeout: WAIT });
    const [download] = await Promise.all([
      alice.page.waitForEvent("download", { timeout: WAIT }),
      offer.locator("button.download").click(),
    ]);
    const saved = readFileSync(await download.path(), "utf8");
    if (saved !== content) throw new Error("downloaded " + saved.length + " characters, expected " + content.length);
  });
  await check("messages show the server's time", async () => {
    const dt = await line(alice.page, "hello from alice").locator("time").getAttribute("datetime");
    if (!/^\d{4}-\d\d-\d\dT/.test(dt || "")) throw new Error(dt);
  });

  await check("a room with news shows an unread count", async () => {
    await say(bob.page, "/join #random");
    await bob.page.waitForSelector("#conversation-title:text('#random')", { timeout: WAIT });
    await say(bob.page, "/join #general");
    await bob.page.waitForSelector("#conversation-title:text('#general')", { timeout: WAIT });
    await say(alice.page, "/join #random");
    await alice.page.waitForSelector("#conversation-title:text('#random')", { timeout: WAIT });
    await say(alice.page, "news in random");
    await bob.page.click("#toggle-rooms");
    await bob.page.locator("#room-list button[aria-label='#random, 1 unread']").waitFor({ timeout: WAIT });
    await bob.page.screenshot({ path: shots + "/phone-rooms.png" });
    await bob.page.keyboard.press("Escape");
  });
  await check("topic: bob (who opened #random, so its operator) sets it, alice sees it", async () => {
    await say(bob.page, "/join #random");
    await bob.page.waitForSelector("#conversation-title:text('#random')", { timeout: WAIT });
    await say(bob.page, "/topic Release on Friday");
    await seen(bob.page, "set the topic: Release on Friday");
    await alice.page.locator("#topic", { hasText: "Release on Friday" }).waitFor({ timeout: WAIT });
    await say(bob.page, "/join #general");
    await bob.page.waitForSelector("#conversation-title:text('#general')", { timeout: WAIT });
  });
  await check("away: bob sets it, alice's member list shows it", async () => {
    await say(bob.page, "/away lunch");
    await alice.page.locator("#member-list button", { hasText: "bob (away)" }).waitFor({ timeout: WAIT });
    await say(bob.page, "/back");
    await alice.page.locator("#member-list button", { hasText: /bob$/ }).waitFor({ timeout: WAIT });
  });
  await check("a direct message from alice opens a conversation with an unread count at bob's", async () => {
    await alice.page.fill("#dm-name", "bob");
    await alice.page.press("#dm-name", "Enter");
    await say(alice.page, "psst, just you");
    await seen(alice.page, "psst, just you");
    await bob.page.click("#toggle-rooms");
    const b = bob.page.locator("#dm-list button[aria-label='alice, 1 unread']");
    await b.waitFor({ timeout: WAIT });
    await b.click();
    await seen(bob.page, "psst, just you");
    await alice.page.screenshot({ path: shots + "/direct.png" });
  });
  await alice.page.click("#room-list button[data-conv='#general']");
  await alice.page.screenshot({ path: shots + "/room.png" });
  await bob.page.click("#toggle-rooms");
  await bob.page.click("#room-list button[data-conv='#general']");
  await bob.page.screenshot({ path: shots + "/phone.png" });

  await check("after a reload bob logs in again, rejoins and pages back with nothing twice", async () => {
    await bob.page.reload();
    await login(bob.page, "bob", env.PASS_BOB);
    await seen(bob.page, "native hello from carol");
    await bob.page.click("#older");
    await seen(bob.page, "backlog 10");
    for (const t of ["backlog 10", "backlog 40", "hello from alice", "native hello from carol"]) {
      const n = await line(bob.page, t).count();
      if (n !== 1) throw new Error(t + " shown " + n + " times");
    }
  });

  await check("after a server restart alice reconnects and gets what she missed, once", async () => {
    await alice.context.setOffline(true);
    alice.frames.length = 0;
    await restartServer();
    native("sent while alice was away");
    await alice.context.setOffline(false);
    await alice.page.locator("#status", { hasText: "Connected as alice" }).waitFor({ timeout: 90_000 });
    await seen(alice.page, "sent while alice was away");
    for (const t of ["hello from alice", "native hello from carol", "sent while alice was away"]) {
      const n = await line(alice.page, t).count();
      if (n !== 1) throw new Error(t + " shown " + n + " times");
    }
    const viaHistory = alice.frames.some((f) => f.includes("batch=") && f.includes("sent while alice was away"));
    console.log("chat-web: the missed message came " + (viaHistory ? "in a CHATHISTORY AFTER batch" : "live"));
  });
  await check("alice's message after the reconnect reaches bob", async () => {
    await bob.page.locator("#status", { hasText: "Connected as bob" }).waitFor({ timeout: 90_000 });
    await say(alice.page, "back after the restart");
    await seen(bob.page, "back after the restart");
  });
} catch (e) {
  fail("browser session", e.stack);
} finally {
  await browser.close();
}
console.log(passed + " passed, " + failed + " failed");
process.exit(failed ? 1 : 0);
