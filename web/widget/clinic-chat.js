/*
 * The clinic's chat widget. Embed it with one script tag:
 *
 *   <script src="https://assistant.example.org/widget/clinic-chat.js" defer
 *           data-server="https://assistant.example.org:5005"
 *           data-clinic-name="North Dallas Pain Clinic" data-phone="972-596-1059"
 *           data-emergency="911" data-color="#1d4f73"></script>
 *
 * It talks to Rasa's socket.io channel, keeps the conversation for the browser tab (so a
 * reload shows it again), and renders every message as text: nothing a patient types or the
 * assistant sends is ever parsed as HTML. Its styles live in a shadow root, so the clinic's
 * page and the widget cannot restyle each other. It loads nothing from any other site.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  const base = new URL(".", script.src);
  const data = script.dataset;
  const config = {
    server: data.server || `${location.protocol}//${location.hostname}:5005`,
    clinicName: data.clinicName || "the clinic",
    phone: data.phone || "",
    emergency: data.emergency || "",
    color: /^#[0-9a-f]{6}$/i.test(data.color || "") ? data.color : "#1d4f73",
  };
  const STORE = `clinic-chat:${config.server}`;
  const MAX_KEPT = 200; // messages kept for a reload
  const MAX_LENGTH = 1000; // characters a patient can send at once
  const REPLY_WAIT_MS = 20000;
  const LINK = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)])|(\b\d{3}-\d{3}-\d{4}\b)|(\b(?:911|988)\b)/g;

  // ---- state, kept in sessionStorage: it survives a reload and ends with the tab, which
  // suits a shared or public computer better than storage that outlives the visit.
  function load() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
      if (saved && Array.isArray(saved.log)) return saved;
    } catch (_) { /* unreadable: start afresh */ }
    return { sessionId: null, open: false, log: [] };
  }
  const state = load();
  function save() {
    state.log = state.log.slice(-MAX_KEPT);
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (_) { /* full or off */ }
  }

  // ---- colours: text on the clinic's colour is black or white, whichever contrasts more
  function luminance(hex) {
    const channel = (i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  }
  const onColor = (1.05 / (luminance(config.color) + 0.05)) >= ((luminance(config.color) + 0.05) / 0.05)
    ? "#ffffff" : "#111111";

  // ---- the elements
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    children.forEach((child) => node.append(child));
    return node;
  }
  const host = el("div", { id: "clinic-chat-widget" });
  host.style.setProperty("--cc-accent", config.color);
  host.style.setProperty("--cc-on-accent", onColor);
  host.hidden = true; // until the stylesheet is in
  const root = host.attachShadow({ mode: "open" });
  const stylesheet = el("link", { rel: "stylesheet", href: new URL("clinic-chat.css", base).href });
  stylesheet.addEventListener("load", () => { host.hidden = false; });

  const title = `${config.clinicName} assistant`;
  const launcher = el("button", {
    class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "cc-panel",
    text: "Chat with us",
  });
  const closeButton = el("button", { class: "icon", type: "button", "aria-label": "Close the chat", text: "\u00d7" });
  const restartButton = el("button", { class: "text-button", type: "button", text: "Start over" });
  const log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  const typing = el("p", { class: "typing", role: "status" });
  const notice = el("p", { class: "notice", role: "alert" });
  const input = el("textarea", {
    id: "cc-input", rows: "1", maxlength: String(MAX_LENGTH), autocomplete: "off",
    placeholder: "Type your question", enterkeyhint: "send",
  });
  const form = el("form", { class: "composer" },
    el("label", { for: "cc-input", class: "visually-hidden", text: "Your message" }),
    input,
    el("button", { type: "submit", class: "send", text: "Send" }),
  );
  const panel = el("section", { id: "cc-panel", class: "panel", "aria-label": title },
    el("header", {},
      el("div", { class: "titles" },
        el("h2", { text: config.clinicName }),
        el("p", { class: "subtitle", text: "Automated assistant, not a person" })),
      restartButton, closeButton),
    log, typing, notice, form,
  );
  panel.hidden = true;
  root.append(stylesheet, launcher, panel);

  // ---- rendering: text nodes and links only
  function linkified(text) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(LINK)) {
      fragment.append(document.createTextNode(text.slice(last, match.index)));
      const [found, url] = match;
      const link = el("a", { text: found });
      if (url) {
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      } else {
        link.href = `tel:${found.replace(/\D/g, "")}`;
      }
      fragment.append(link);
      last = match.index + found.length;
    }
    fragment.append(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function render(message, index) {
    const mine = message.from === "patient";
    const item = el("div", { class: mine ? "message patient" : "message assistant" },
      el("span", { class: "visually-hidden", text: mine ? "You said: " : "Assistant said: " }));
    const body = el("p", { class: "bubble" });
    body.append(linkified(message.text));
    item.append(body);
    const replies = message.replies || [];
    if (replies.length && index === state.log.length - 1) {
      const group = el("div", { class: "replies", role: "group", "aria-label": "Suggested replies" });
      replies.forEach((reply) => {
        const button = el("button", { type: "button", class: "reply", text: reply.title });
        button.addEventListener("click", () => send(reply.title, reply.payload));
        group.append(button);
      });
      item.append(group);
    }
    return item;
  }

  function redraw() {
    log.replaceChildren(...state.log.map(render));
    log.scrollTop = log.scrollHeight;
  }

  function add(message) {
    const previous = log.lastElementChild;
    if (previous) previous.querySelector(".replies")?.remove(); // only the latest choices
    state.log.push(message);
    save();
    log.append(render(message, state.log.length - 1));
    log.scrollTop = log.scrollHeight;
  }

  function setTyping(on) {
    typing.replaceChildren();
    if (on) {
      typing.append(el("span", { class: "visually-hidden", text: "The assistant is typing" }),
        el("span", { class: "dots", "aria-hidden": "true" }, el("i"), el("i"), el("i")));
    }
    typing.classList.toggle("on", on);
  }

  function callUs() {
    const parts = [];
    if (config.phone) parts.push(`call the clinic at ${config.phone}`);
    if (config.emergency) parts.push(`in an emergency call ${config.emergency}`);
    return parts.length ? ` Or ${parts.join("; ")}.` : "";
  }
  function setNotice(text) { notice.textContent = text; }

  // ---- the connection: socket.io to Rasa, with the session id kept across reloads
  let socket = null;
  let ready = false;
  const outbox = [];
  let waitTimer = null;

  function flush() {
    while (ready && outbox.length) {
      socket.emit("user_uttered", { message: outbox.shift(), session_id: state.sessionId });
    }
  }

  function connect() {
    if (socket || typeof window.io !== "function") return;
    // Long-polling only: the server's WebSocket transport is broken (channels/website.py).
    socket = window.io(config.server, {
      path: "/socket.io", transports: ["polling"], upgrade: false, reconnectionDelayMax: 10000,
    });
    socket.on("connect", () => socket.emit("session_request", { session_id: state.sessionId }));
    socket.on("session_confirm", (id) => {
      const fresh = !state.sessionId || state.sessionId !== id;
      state.sessionId = typeof id === "string" ? id : state.sessionId;
      save();
      ready = true;
      setNotice("");
      // A new conversation opens with the assistant saying what it is.
      if (fresh && state.log.length === 0 && outbox.length === 0) outbox.push("/session_start");
      flush();
    });
    socket.on("bot_uttered", (message) => {
      if (!message || typeof message.text !== "string" || !message.text.trim()) return;
      clearTimeout(waitTimer);
      setTyping(false);
      const replies = (message.quick_replies || message.buttons || [])
        .filter((r) => r && typeof r.title === "string" && typeof r.payload === "string")
        .map((r) => ({ title: r.title, payload: r.payload }));
      add({ from: "assistant", text: message.text, replies });
    });
    socket.on("disconnect", () => { ready = false; });
    socket.on("connect_error", () => {
      ready = false;
      setNotice(`Can't reach the assistant right now; still trying.${callUs()}`);
    });
  }

  let clientRequested = false;
  function loadClient() {
    if (typeof window.io === "function") return connect();
    if (clientRequested) return; // opened again before the client arrived
    clientRequested = true;
    const client = document.createElement("script");
    client.src = new URL("socket.io.min.js", base).href;
    client.addEventListener("load", connect);
    client.addEventListener("error", () => {
      clientRequested = false; // try again when the chat is next opened
      client.remove();
      setNotice(`The chat could not load.${callUs()}`);
    });
    document.head.append(client);
  }

  function send(shown, payload) {
    const text = (shown || "").trim();
    if (!text) return;
    add({ from: "patient", text: text.slice(0, MAX_LENGTH) });
    outbox.push((payload || text).slice(0, MAX_LENGTH));
    setTyping(true);
    clearTimeout(waitTimer);
    waitTimer = setTimeout(() => {
      setTyping(false);
      setNotice(`No answer yet. Please try again in a moment.${callUs()}`);
    }, REPLY_WAIT_MS);
    flush();
  }

  // ---- opening, closing and the keyboard
  function setOpen(open, focus) {
    state.open = open;
    save();
    panel.hidden = !open;
    launcher.hidden = open;
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      loadClient();
      redraw();
      if (focus) input.focus();
    } else if (focus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", () => setOpen(true, true));
  closeButton.addEventListener("click", () => setOpen(false, true));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") setOpen(false, true);
  });
  restartButton.addEventListener("click", () => {
    state.sessionId = null;
    state.log = [];
    outbox.length = 0;
    save();
    redraw();
    if (socket) socket.emit("session_request", { session_id: null });
    input.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(input.value);
    input.value = "";
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.body.append(host);
  setOpen(state.open, false);
})();
