'use strict';
// Telegram sandbox page: one phone-like pane per person, kept in sync with the
// Python sandbox by a long-poll loop on /sandbox/events.
//
// Safety rule: message texts and names come from users, so the DOM is built
// with createElement/textContent only — never innerHTML.

const CHIPS = {
  student: ['/start', '/status', '/help', '/restart'],
  teacher: ['/whoami', '/requests', '/class', '/qr'],
  admin: ['/whoami', '/broadcast', '/classes', '/teachers'],
};
const HINTS = { student: 'Напишите /start', staff: '/whoami — что я могу' };
const SAFE_SCHEMES = new Set(['http:', 'https:', 'tg:']);
const TOAST_MS = 3000;
const ERROR_MS = 6000;
const RETRY_MS = 1000;
const PIN_SLACK_PX = 40; // "at the bottom" tolerance for auto-scroll

// Entity types that map straight onto one HTML element.
const ENTITY_TAGS = {
  bold: 'b', italic: 'i', underline: 'u', strikethrough: 's',
  code: 'code', pre: 'pre', blockquote: 'blockquote', expandable_blockquote: 'blockquote',
};

const state = {
  seq: 0,
  run: '', // the server run the seq belongs to
  people: new Map(), // id -> Person
  panes: new Map(), // id -> pane record (see createPane)
};

// --- small helpers -----------------------------------------------------------

// createElement + class + text + any other properties (type, title, …).
function el(tag, cls, text, props) {
  const node = Object.assign(document.createElement(tag), props);
  if (cls) node.className = cls;
  if (text != null) node.textContent = text;
  return node;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// GET when body is undefined, else POST JSON. Throws Error(server's `error`) on failure.
async function api(path, body) {
  const init = body === undefined ? {} : {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
  const res = await fetch(path, init);
  let data = null;
  try { data = await res.json(); } catch { /* not JSON: report the status below */ }
  if (!res.ok || data?.ok === false) throw new Error(data?.error || `HTTP ${res.status}`);
  return data;
}

// Returns a normalized href if its scheme is allowed (relative URLs resolve to same origin).
function safeHref(raw) {
  try {
    const url = new URL(String(raw), location.href);
    return SAFE_SCHEMES.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function makeLink(raw) {
  const href = safeHref(raw);
  if (!href) return el('span'); // unsafe scheme: keep the text, drop the link
  return el('a', null, null, { href, target: '_blank', rel: 'noopener' });
}

function formatTime(unix) {
  const d = new Date(unix * 1000);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

// --- message text with entities ----------------------------------------------

function entityNode(ent, slice, userId) {
  const tag = ENTITY_TAGS[ent.type];
  if (tag) return el(tag);
  switch (ent.type) {
    case 'spoiler': {
      const span = el('span', 'spoiler');
      // Capture phase: the first click only reveals, even on a link inside the spoiler.
      span.addEventListener('click', (e) => {
        if (span.classList.contains('revealed')) return;
        e.preventDefault();
        e.stopPropagation();
        span.classList.add('revealed');
      }, true);
      return span;
    }
    case 'text_link':
      return makeLink(ent.url);
    case 'url': // the text itself; Telegram also links "example.com" without a scheme
      return makeLink(/^[a-z][a-z0-9+.-]*:/i.test(slice) ? slice : `http://${slice}`);
    case 'bot_command': {
      const span = el('span', 'cmd');
      span.addEventListener('click', () => sendText(userId, slice));
      return span;
    }
    default: // mention, hashtag, custom_emoji, …: plain text
      return el('span');
  }
}

// Builds nested DOM from text + entities. Offsets are UTF-16 units = JS string indexes.
// A stack holds the open entity elements; text between boundaries goes into the top one.
function renderEntities(text, entities, userId) {
  const root = document.createDocumentFragment();
  const stack = [{ node: root, end: text.length }];
  let pos = 0;
  const top = () => stack[stack.length - 1];
  const flushTo = (upto) => {
    if (upto > pos) top().node.append(text.slice(pos, upto));
    pos = Math.max(pos, upto);
  };
  const sorted = [...(entities || [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
  for (const ent of sorted) {
    const start = Math.max(ent.offset, pos);
    while (stack.length > 1 && top().end <= start) {
      flushTo(top().end);
      stack.pop();
    }
    flushTo(start);
    // Clamp to the parent so improperly overlapping entities can't break the tree.
    const end = Math.min(ent.offset + ent.length, top().end);
    if (end <= start) continue;
    const node = entityNode(ent, text.slice(start, end), userId);
    top().node.append(node);
    stack.push({ node, end });
  }
  while (stack.length > 1) {
    flushTo(top().end);
    stack.pop();
  }
  flushTo(text.length);
  return root;
}

// --- one message -------------------------------------------------------------

function renderMessage(msg, pane) {
  const wrap = el('div', `msg ${msg.from_bot ? 'msg-bot' : 'msg-user'}`);
  wrap.dataset.messageId = msg.message_id;
  if (msg.edited) wrap.classList.add('edited');
  const bubble = el('div', 'bubble');
  wrap.append(bubble);

  if (msg.photo) {
    const img = el('img', 'photo', null, { alt: '', src: msg.photo });
    img.addEventListener('load', () => keepPinned(pane)); // height known only now
    bubble.append(img);
  }
  if (msg.sticker) bubble.append(el('div', 'sticker', msg.sticker));
  if (msg.document) {
    const a = makeLink(msg.document.url);
    a.classList.add('doc');
    a.textContent = `📄 ${msg.document.name}`;
    bubble.append(a);
  }
  if (msg.text) {
    const text = el('div', 'msg-text');
    text.append(renderEntities(msg.text, msg.entities, pane.id));
    bubble.append(text);
  }
  const meta = el('span', 'msg-meta', formatTime(msg.date));
  if (msg.edited) meta.prepend(el('span', 'msg-edited', 'изменено '));
  bubble.append(meta);

  if (msg.buttons?.length) {
    const kb = el('div', 'inline-kb');
    for (const row of msg.buttons) {
      const rowEl = el('div', 'inline-row');
      for (const btn of row) rowEl.append(inlineButton(btn, msg, pane));
      kb.append(rowEl);
    }
    wrap.append(kb);
  }
  return wrap;
}

function inlineButton(btn, msg, pane) {
  const b = el('button', 'inline-btn', btn.text, { type: 'button' });
  if (btn.url) {
    b.classList.add('url');
    b.title = btn.url;
    b.addEventListener('click', () => {
      const href = safeHref(btn.url);
      if (href) window.open(href, '_blank', 'noopener');
    });
  } else if (btn.data != null) {
    b.addEventListener('click', async () => {
      try {
        await api('/sandbox/press', { user_id: pane.id, message_id: msg.message_id, data: btn.data });
      } catch (err) {
        showError(pane, err.message);
      }
    });
  }
  return b;
}

// --- panes -------------------------------------------------------------------

function createPane(person) {
  const root = el('section', 'pane');
  root.dataset.userId = person.id;

  const head = el('header', 'pane-head');
  const avatar = el('div', 'avatar');
  const titles = el('div', 'pane-titles');
  const name = el('div', 'pane-name');
  const badge = el('span', 'role-badge');
  titles.append(name, badge);
  const blockBtn = el('button', 'block-toggle', null, { type: 'button' });
  head.append(avatar, titles, blockBtn);

  const banner = el('div', 'blocked-banner', 'Бот заблокирован · bot blocked');
  const body = el('div', 'pane-body');
  const list = el('div', 'messages');
  const hint = el('div', 'empty-hint');
  const toasts = el('div', 'toasts');
  body.append(list, hint, toasts);

  const error = el('div', 'pane-error', null, { hidden: true });
  const chips = el('div', 'chips');
  const form = el('form', 'composer-row');
  const input = el('input', 'composer', null, { type: 'text', placeholder: 'Сообщение', autocomplete: 'off' });
  // What students also send instead of text: the bot must answer those kindly too.
  const photoBtn = el('button', 'attach', '🖼', { type: 'button', title: 'Фото (текст — подпись)' });
  const stickerBtn = el('button', 'attach', '😀', { type: 'button', title: 'Стикер' });
  form.append(input, photoBtn, stickerBtn, el('button', 'send', '➤', { type: 'submit', title: 'Send' }));
  root.append(head, banner, body, error, chips, form);

  const pane = {
    id: person.id, role: null, root, avatar, name, badge, blockBtn, body, list, hint,
    toasts, error, chips, input, msgs: new Map(), pinned: true, errorTimer: 0,
  };
  // Auto-scroll only while the user is at the bottom; scrolling up pauses it.
  list.addEventListener('scroll', () => {
    pane.pinned = list.scrollHeight - list.scrollTop - list.clientHeight < PIN_SLACK_PX;
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    sendText(pane.id, text, () => { if (!input.value) input.value = text; });
  });
  blockBtn.addEventListener('click', () => toggleBlock(pane));
  photoBtn.addEventListener('click', () => {
    const caption = input.value;
    input.value = '';
    sendText(pane.id, caption, () => { if (!input.value) input.value = caption; }, 'photo');
  });
  stickerBtn.addEventListener('click', () => sendText(pane.id, '', null, 'sticker'));

  state.panes.set(person.id, pane);
  document.getElementById('panes').append(root);
  return pane;
}

function updatePane(pane, person) {
  pane.root.dataset.role = person.role;
  pane.name.textContent = person.name;
  pane.avatar.textContent = [...person.name.trim()][0]?.toUpperCase() || '?';
  pane.badge.textContent = person.role_label || person.role;
  pane.root.classList.toggle('blocked', person.blocked);
  pane.blockBtn.textContent = person.blocked ? 'Unblock' : '🚫 Block bot';
  pane.blockBtn.title = person.blocked ? 'Разблокировать бота' : 'Заблокировать бота';
  if (pane.role !== person.role) {
    pane.role = person.role;
    pane.hint.textContent = person.role === 'student' ? HINTS.student : HINTS.staff;
    pane.chips.replaceChildren(...(CHIPS[person.role] || []).map((cmd) => {
      const chip = el('button', 'chip', cmd, { type: 'button' });
      chip.addEventListener('click', () => sendText(pane.id, cmd));
      return chip;
    }));
  }
  updateEmpty(pane);
}

function updateEmpty(pane) {
  pane.hint.hidden = pane.msgs.size > 0;
}

function keepPinned(pane) {
  if (pane.pinned) pane.list.scrollTop = pane.list.scrollHeight;
}

function showError(pane, text) {
  pane.error.textContent = text;
  pane.error.hidden = false;
  keepPinned(pane); // the note shrinks the chat area
  clearTimeout(pane.errorTimer);
  pane.errorTimer = setTimeout(() => { pane.error.hidden = true; }, ERROR_MS);
}

// Adds, replaces or removes panes so they match the full people list.
function syncPeople(people) {
  const seen = new Set();
  for (const person of people) {
    seen.add(person.id);
    state.people.set(person.id, person);
    updatePane(state.panes.get(person.id) || createPane(person), person);
  }
  for (const [id, pane] of state.panes) {
    if (seen.has(id)) continue;
    pane.root.remove();
    state.panes.delete(id);
    state.people.delete(id);
  }
}

function applyMessages(messages) {
  const touched = new Set();
  for (const msg of messages) {
    const pane = state.panes.get(msg.chat_id);
    if (!pane) continue;
    const old = pane.msgs.get(msg.message_id);
    if (msg.deleted) {
      old?.remove();
      pane.msgs.delete(msg.message_id);
    } else {
      const node = renderMessage(msg, pane);
      if (old) {
        old.replaceWith(node);
      } else {
        // Keep chat order by message_id even if changes arrive out of order.
        const next = [...pane.list.children].find((c) => Number(c.dataset.messageId) > msg.message_id);
        pane.list.insertBefore(node, next || null);
      }
      pane.msgs.set(msg.message_id, node);
    }
    touched.add(pane);
  }
  for (const pane of touched) {
    updateEmpty(pane);
    keepPinned(pane);
  }
}

function showNotice(notice) {
  const pane = state.panes.get(notice.chat_id);
  if (!pane) return;
  if (!notice.alert) {
    const toast = el('div', 'toast', notice.text);
    pane.toasts.append(toast);
    setTimeout(() => toast.remove(), TOAST_MS);
    return;
  }
  // alert=true: a modal box inside the pane that waits for OK, like Telegram's popup.
  const overlay = el('div', 'alert-overlay');
  const box = el('div', 'toast toast-alert');
  const ok = el('button', 'alert-ok', 'OK', { type: 'button' });
  ok.addEventListener('click', () => overlay.remove());
  box.append(el('div', 'alert-text', notice.text), ok);
  overlay.append(box);
  pane.body.append(overlay);
  ok.focus();
}

// --- actions -----------------------------------------------------------------

// kind: 'text' (default), 'photo' (text is its caption) or 'sticker'.
async function sendText(userId, text, onError, kind = 'text') {
  const pane = state.panes.get(userId);
  if (pane) pane.pinned = true; // one's own message always scrolls into view
  try {
    await api('/sandbox/send', { user_id: userId, text, kind });
  } catch (err) {
    if (pane) showError(pane, err.message);
    onError?.();
  }
}

async function toggleBlock(pane) {
  const person = state.people.get(pane.id);
  const blocked = !person.blocked;
  try {
    await api('/sandbox/block', { user_id: pane.id, blocked });
    // Show it at once; the next event batch carries the same flag.
    state.people.set(pane.id, { ...person, blocked });
    updatePane(pane, state.people.get(pane.id));
  } catch (err) {
    showError(pane, err.message);
  }
}

async function addStudent(button) {
  button.disabled = true;
  try {
    const person = await api('/sandbox/people', {});
    state.people.set(person.id, person);
    const pane = state.panes.get(person.id) || createPane(person);
    updatePane(pane, person);
    pane.root.scrollIntoView({ behavior: 'smooth', inline: 'end', block: 'nearest' });
    pane.input.focus({ preventScroll: true });
  } catch (err) {
    alert(`Не удалось добавить ученика: ${err.message}`);
  } finally {
    button.disabled = false;
  }
}

// --- sync loop -----------------------------------------------------------------

function setOnline(online) {
  document.getElementById('conn').classList.toggle('offline', !online);
}

// Replaces everything with the server's full state (at start and after a reset).
function applyState(s) {
  document.getElementById('bot-name').textContent = s.bot.name;
  document.getElementById('bot-username').textContent = `@${s.bot.username}`;
  for (const pane of state.panes.values()) {
    pane.list.replaceChildren();
    pane.msgs.clear();
  }
  syncPeople(s.people);
  applyMessages(s.messages);
  state.seq = s.seq;
  state.run = s.run;
}

// Long-poll loop. Any failure (network, server restart) waits a second and retries;
// re-applying messages is harmless: they are replaced by (chat_id, message_id).
async function syncLoop() {
  let needState = true;
  for (;;) {
    try {
      if (needState) {
        applyState(await api('/sandbox/state'));
        needState = false;
        setOnline(true);
      }
      const ev = await api(`/sandbox/events?after=${state.seq}&run=${state.run}`);
      setOnline(true);
      if (ev.reset) { // a restarted server (another run, or our seq unknown): start over
        needState = true;
        continue;
      }
      if (ev.people) syncPeople(ev.people); // always the full list: absent ≠ empty
      applyMessages(ev.messages || []);
      (ev.notices || []).forEach(showNotice);
      state.seq = ev.seq;
    } catch (err) {
      console.warn('sandbox sync:', err.message);
      setOnline(false);
      await sleep(RETRY_MS);
    }
  }
}

document.getElementById('add-student').addEventListener('click', (e) => addStudent(e.currentTarget));
syncLoop();
