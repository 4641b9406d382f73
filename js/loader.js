// Parlo chat widget loader (ES module, no dependencies).
//
// Draws the launcher at once, in an open shadow root, and loads the wasm bundle only when
// the visitor shows intent (pointer over, focus, touch or click on the launcher) or, with
// `preload: "idle"`, when the browser is idle. Until then it makes no network request and
// writes no storage; it only reads whether the panel was open before a reload or earlier
// pages left unsent messages (then the bundle loads at once to reopen it or send them) and
// whether earlier pages left unsent leads. Then it reads the channel's configuration: a
// channel with a pre-chat form this browser has not sent yet gets the widget with lead forms
// inside (prechat/parlo_prechat.js), any other the chat alone (parlo_widget.js); the widget
// gets that configuration with its options, so it is read once. Each bundle is imported by
// a literal path next to this file (see `IMPORTS`), so bundlers emit it, and its glue finds
// its wasm by a literal path next to itself.
//
// npm:    import { init } from "parlo"; const chat = init({ channel: "demo" });
// embed:  <script type="module" async src="https://chat.example.com/embed.js" data-channel="demo"></script>
//         then window.Parlo.init/open/close/toggle/show/hide/sendMessage/setUser/setAttributes/setLocale/on/reset/destroy
//         (the last widget initialised; `init(channel)` returns any widget's own controller),
//         queued in Parlo.q until this script has run.
// Lead forms: form(el, { form: "quote" }), <parlo-form form="quote">: their own bundle
// (forms/parlo_forms.js), loaded when the form nears the viewport or on intent. Unsent
// submissions (localStorage parlo:lead:*) are sent on the next page this runs on (loading
// that bundle at once): see loader.d.ts.

const CSS = ':host{all:initial!important;display:block!important;position:fixed!important;inset:auto!important;width:0!important;height:0!important;overflow:visible!important;z-index:2147483000!important;visibility:visible!important;opacity:1!important;pointer-events:auto!important}*,*::before,*::after{box-sizing:border-box;margin:0;padding:0;border:0;font:inherit;color:inherit;background:none;letter-spacing:normal;text-transform:none;text-align:start}.parlo{--parlo-primary:#2563eb;--parlo-on-primary:#fff;display:block;font:400 15px/1.4 var(--parlo-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif);color:#111827;-webkit-font-smoothing:antialiased}.parlo-launcher{position:fixed;bottom:var(--parlo-bottom,20px);right:var(--parlo-side,20px);left:auto;display:flex;align-items:center;justify-content:center;width:56px;height:56px;border-radius:50%;background:var(--parlo-primary);color:var(--parlo-on-primary);box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer;z-index:2}.parlo--left .parlo-launcher{left:var(--parlo-side,20px);right:auto}.parlo-launcher svg{display:block;width:28px;height:28px;fill:currentColor}.parlo-launcher:focus-visible,.parlo button:focus-visible,.parlo textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}.parlo-launcher--label{width:auto;gap:8px;padding:0 20px 0 16px;border-radius:28px;font-weight:600}.parlo-badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/22px system-ui,sans-serif;text-align:center}:host([data-parlo-launcher=hidden]) .parlo-launcher{display:none}';
const ICON = 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z';
const SVG = 'http://www.w3.org/2000/svg';
const LOADER = 'data-parlo-loader';
const instances = new Map();
const bundles = new Map();

let sheet; // CSS as a constructed stylesheet, shared by every launcher

/** `<tag>` (in namespace `ns` when given) with `attrs`. */
function el(tag, attrs, ns) {
  const e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  return e;
}

const isColor = (c) => typeof c === 'string' && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(c);
const px = (n) => (typeof n === 'number' && n >= 0 ? `${n}px` : '');

/**
 * Sets the look of `theme` (the channel's, which wins) or of the init options `o` on `host`:
 * custom properties, which inherit into the shadow root (see the widget's style.rs).
 */
function setLook(host, o, theme = {}) {
  const look = {
    font: theme.font_family ?? o.fontFamily,
    radius: px(theme.corner_radius ?? o.cornerRadius),
    bottom: px(theme.offset_bottom ?? o.offsetBottom),
    side: px(theme.offset_side ?? o.offsetSide),
  };
  for (const name in look) if (look[name] && typeof look[name] === 'string') host.style.setProperty(`--parlo-${name}`, look[name]);
}

/** A short, quiet beep through WebAudio (the `sound` option); nothing where audio is not allowed. */
function beep() {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    const end = audio.currentTime + 0.25;
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, end);
    tone.connect(gain).connect(audio.destination);
    tone.onended = () => audio.close();
    tone.start();
    tone.stop(end);
  } catch {}
}

/**
 * While the panel is open on a small screen (where it fills the screen): the page behind it
 * does not scroll, and the panel follows the visual viewport (`--parlo-vt`, `--parlo-vh` on
 * `host`), so an on-screen keyboard does not cover the composer. Returns what undoes it.
 */
function fit(host) {
  const view = window.visualViewport;
  if (!view || !matchMedia('(max-width:480px)').matches) return () => {};
  const styles = [document.documentElement, document.body].filter(Boolean).map((e) => e.style);
  const overflows = styles.map((s) => s.overflow);
  const follow = () => {
    host.style.setProperty('--parlo-vt', `${view.offsetTop}px`);
    host.style.setProperty('--parlo-vh', `${view.height}px`);
  };
  for (const s of styles) s.overflow = 'hidden';
  follow();
  view.addEventListener('resize', follow);
  view.addEventListener('scroll', follow);
  return () => {
    styles.forEach((s, i) => (s.overflow = overflows[i]));
    view.removeEventListener('resize', follow);
    view.removeEventListener('scroll', follow);
  };
}

const WIDGET = 'parlo_widget.js';
const PRE_CHAT = 'prechat/parlo_prechat.js';
const FORMS = 'forms/parlo_forms.js';
const NEAR = '600px 0px'; // a form's bundle loads when the form is this close to the viewport

/**
 * The bundles, imported by literal paths next to this file: bundlers (Vite, webpack, esbuild
 * with `--splitting`, Rollup) see them, emit each as its own chunk loaded on demand, and the
 * wasm its glue names with `new URL("…_bg.wasm", import.meta.url)` as an asset.
 */
const IMPORTS = {
  [WIDGET]: () => import('./parlo_widget.js'),
  [PRE_CHAT]: () => import('./prechat/parlo_prechat.js'),
  [FORMS]: () => import('./forms/parlo_forms.js'),
};

/**
 * The directory of the package's files when they are not where `IMPORTS` finds them: that of
 * `bundleUrl` when given, else /pkg/ when this file is parlo-server's /embed.js (served from
 * the site's root, the package beside it at /pkg/); otherwise null.
 */
function pkgBase(bundleUrl) {
  if (bundleUrl) return new URL(bundleUrl, document.baseURI);
  const here = new URL(import.meta.url);
  return here.pathname.endsWith('/embed.js') ? new URL('/pkg/', here) : null;
}

/** The module of bundle `file` (one of `IMPORTS`), its wasm instantiated; once per URL. */
function load(file, bundleUrl) {
  const base = pkgBase(bundleUrl);
  const url = base ? new URL(file, base).href : file;
  let bundle = bundles.get(url);
  if (!bundle) {
    const module = base ? import(/* @vite-ignore */ /* webpackIgnore: true */ url) : IMPORTS[file]();
    bundle = module.then(async (m) => (await m.default(), m));
    bundles.set(url, bundle);
    bundle.catch(() => bundles.delete(url));
  }
  return bundle;
}

const LEADS = 'parlo:lead:';
let flushed = false;

/** Loads the forms bundle to send leads left unsent (once per page). */
function flushLeads(bundleUrl) {
  if (flushed) return;
  flushed = true;
  try {
    for (let i = 0; i < localStorage.length; i++) {
      if (localStorage.key(i)?.startsWith(LEADS)) {
        load(FORMS, bundleUrl).then((m) => m.flushLeads(), () => (flushed = false));
        return;
      }
    }
  } catch {}
}

/** `localStorage[key]`, or null (also where storage is unavailable). */
function stored(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

const LANDING = 'parlo:landing';
const UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];

/**
 * Keeps this page (with its `document.referrer`) in `sessionStorage` as the tab's landing
 * page, `{ url, referrer }`, unless one is kept already; returns the kept one. Called when a
 * lead form mounts and when the chat starts a session, never before the visitor's intent.
 */
function noteLanding() {
  const here = { url: location.href, referrer: document.referrer };
  try {
    const kept = JSON.parse(sessionStorage.getItem(LANDING));
    if (kept?.url) return kept;
    sessionStorage.setItem(LANDING, JSON.stringify(here));
  } catch {}
  return here;
}

/**
 * Where the visit came from, the `capture` of a lead or a chat session start (the widget and
 * the forms call it, see their `capture` option): the five UTM parameters (Google Analytics'
 * campaign URL builder) of this page, else of the landing page; the landing page's referrer;
 * the landing page, this page, the browser's language and the time (RFC 3339, UTC).
 */
function capture() {
  const landing = noteLanding();
  const params = (url) => new URL(url, location.href).searchParams;
  let utm = params(location.href);
  if (!UTM.some((n) => utm.has(n))) utm = params(landing.url);
  const c = {};
  for (const n of UTM) if (utm.has(n)) c[n] = utm.get(n);
  if (landing.referrer) c.referrer = landing.referrer;
  return Object.assign(c, { landing_page: landing.url, page_url: location.href, locale: navigator.language, submitted_at: new Date().toISOString() });
}

/**
 * The visitor's languages, most preferred first, as the comma-separated tags the server
 * matches (`?locale=`): `tag` (from `setLocale` or the `locale` option), the page's
 * `<html lang>`, then the browser's.
 */
function locales(tag) {
  return [tag, document.documentElement.lang, ...(navigator.languages || [])].filter(Boolean).join(',');
}

/**
 * The widget's bundle for `channel` and the channel's configuration (undefined if unreadable,
 * then the widget reads it itself): PRE_CHAT when it names a pre-chat form this browser has
 * not submitted (the widget keeps the id of the one it has), else WIDGET.
 */
async function widgetBundle(channel, apiBase, locale) {
  let config;
  try {
    const response = await fetch(`${apiBase}/api/public/v1/channels/${encodeURIComponent(channel)}?locale=${encodeURIComponent(locale)}`);
    if (response.ok) config = await response.json();
  } catch {}
  const form = config?.pre_chat_form;
  return [form && stored(`parlo:${channel}:pre_chat`) !== form ? PRE_CHAT : WIDGET, config];
}

/**
 * Puts the launcher's host element in the page at once. Without a `container` it goes at the
 * end of `<body>`; if the script runs before `<body>` exists (an async snippet in `<head>`), it
 * goes into `<html>` right away (it is `position: fixed`, so it is drawn in the first frame
 * either way) and moves to the end of `<body>` once the document is parsed, so it comes last
 * in the tab order, unless the visitor has focused it by then.
 */
function place(host, container) {
  if (container || document.body) return (container || document.body).appendChild(host);
  document.documentElement.appendChild(host);
  document.addEventListener('DOMContentLoaded', () => {
    if (host.parentNode === document.documentElement && document.body && document.activeElement !== host) {
      document.body.appendChild(host);
    }
  }, { once: true });
}

/**
 * Adds the chat widget of `options.channel` to the page and returns its controller.
 * Calling it again for the same channel returns the same controller. Also defines
 * `<parlo-form>` (when not defined yet) for the page's forms.
 */
export function init(options) {
  const o = typeof options === 'string' ? { channel: options } : { ...options };
  const channel = o.channel;
  if (!channel || typeof channel !== 'string') throw new TypeError('Parlo: `channel` is required');
  const existing = instances.get(channel);
  if (existing) return existing;
  flushLeads(o.bundleUrl);
  defineFormElement('parlo-form', { apiBase: o.apiBase ?? '', bundleUrl: o.bundleUrl });

  const color = isColor(o.color) ? o.color : undefined;
  const position = o.position === 'left' ? 'left' : 'right';
  const label = o.launcherLabel;
  const host = document.createElement('div');
  host.setAttribute('data-parlo-widget', channel);
  setLook(host, o);
  const root = host.attachShadow({ mode: 'open' });

  let widget = null;
  let loading = null;
  let wantOpen = false;
  let destroyed = false;
  let title; // the page's title without the unread count
  let visitor = {}; // mountWidget's `user` (wire names) and `attributes`, sent with the session start
  let unread = 0;
  let unfit = null; // undoes `fit` while the panel is open
  let isOpen = false;
  let bubble = null; // the proactive message while it is shown
  const seen = `parlo:${channel}:proactive`;
  const dismiss = () => {
    bubble?.remove();
    bubble = null;
    try {
      localStorage.setItem(seen, '1');
    } catch {}
  };
  /**
   * Shows the proactive message (the `proactiveMessage` option, else the channel's) beside the
   * launcher once the visitor has been its delay on the page, unless this browser has seen it.
   */
  const proactive = (theme) => {
    const text = o.proactiveMessage ?? theme?.proactive_message?.text;
    const delay = o.proactiveDelay ?? theme?.proactive_message?.delay_seconds ?? 0;
    if (!text || stored(seen)) return;
    setTimeout(() => {
      if (bubble || isOpen || !widget) return;
      // Inside a root like the widget's own (scheme and corner classes), so it looks alike.
      bubble = root.appendChild(el('div', { class: root.querySelector(`.parlo:not([${LOADER}])`)?.className ?? 'parlo' }));
      const box = bubble.appendChild(el('div', { class: 'parlo-proactive', role: 'status' }));
      const say = box.appendChild(el('button', { type: 'button', class: 'parlo-proactive__text' }));
      say.textContent = text;
      say.onclick = () => controller.open();
      const close = box.appendChild(el('button', { type: 'button', class: 'parlo-close', 'aria-label': 'Dismiss' }));
      close.textContent = '×';
      close.onclick = dismiss;
    }, Math.max(0, delay * 1000 - performance.now()));
  };
  const queued = [];
  const listeners = new Map();
  const emit = (name, detail) => {
    if (name === 'unread') {
      if (o.sound && detail > unread) beep();
      unread = detail;
    }
    if (name === 'unread' && o.titleCount) {
      title ??= document.title;
      document.title = detail ? `(${detail}) ${title}` : title;
    }
    if (name === 'open') {
      isOpen = true;
      unfit ??= fit(host);
      if (bubble) dismiss();
    }
    if (name === 'close') {
      isOpen = false;
      unfit = unfit?.();
    }
    for (const fn of listeners.get(name) || []) {
      try {
        fn(detail);
      } catch (error) {
        console.error(error);
      }
    }
  };
  // A form inside the widget (the pre-chat form) created a lead: its `parlo:success` event
  // (bubbling, composed) crosses the shadow root to the host.
  host.addEventListener('parlo:success', (event) => emit('lead', event.detail));
  const start = () => {
    if (loading) return loading;
    const current = (loading = widgetBundle(channel, o.apiBase ?? '', locales(o.locale)).then(([file, config]) => load(file, o.bundleUrl).then(
      (m) => {
        if (destroyed || loading !== current) return;
        if (o.theme) config = { ...config, theme: { ...config?.theme, ...o.theme } };
        setLook(host, o, config?.theme);
        widget = m.mountWidget(host, {
          channel, apiBase: o.apiBase ?? '', open: wantOpen, color, position, config,
          launcherLabel: label, colorScheme: o.colorScheme, onEvent: emit, capture, ...visitor,
        });
        if (!config) widget.setLocale(locales(o.locale));
        emit('ready');
        proactive(config?.theme);
        // A queued call the widget refuses (e.g. a blank message) is told, and the rest still run.
        for (const [method, arg] of queued.splice(0)) {
          try {
            widget[method](arg);
          } catch (error) {
            emit('error', { message: error.message });
          }
        }
      },
      (error) => {
        loading = null;
        console.error('Parlo: cannot load the chat widget', error);
        emit('error', { message: 'cannot load the chat widget' });
      },
    )));
    return loading;
  };
  /**
   * Draws the launcher (again after `reset`) and arms it. Built with the DOM and styled by
   * an adopted stylesheet, neither `innerHTML` nor inline styles: it runs under a strict
   * Content Security Policy with Trusted Types (see the README).
   */
  const draw = () => {
    const div = el('div', { [LOADER]: '', class: `parlo${position === 'left' ? ' parlo--left' : ''}` });
    if (color) div.style.setProperty('--parlo-primary', color);
    const button = el('button', {
      type: 'button', class: `parlo-launcher${label ? ' parlo-launcher--label' : ''}`,
      'aria-label': 'Open chat', 'aria-expanded': 'false', 'aria-haspopup': 'dialog',
    });
    const svg = el('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, SVG);
    svg.append(el('path', { d: ICON }, SVG));
    button.append(svg);
    div.append(button);
    root.replaceChildren(div);
    try {
      if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch {} // no constructable stylesheets (before Safari 16.4): an unstyled launcher
    if (label) button.append(Object.assign(document.createElement('span'), { className: 'parlo-launcher__label', textContent: label }));
    for (const type of ['pointerenter', 'focus', 'touchstart']) {
      button.addEventListener(type, start, { once: true, passive: true });
    }
    button.addEventListener('click', () => {
      if (widget) return widget.open();
      wantOpen = true;
      start();
    });
  };
  draw();
  if (o.hideLauncher) host.setAttribute('data-parlo-launcher', 'hidden');
  place(host, o.container);
  try {
    performance.mark('parlo:launcher'); // when the launcher entered the page, for `cargo xtask bench`
  } catch {}
  // Reopen the panel, or send the messages an earlier page left unsent, at once.
  if (stored(`parlo:${channel}:open`) === '1' || stored(`parlo:${channel}:unsent`)) start();
  else if (o.preload === 'idle') (window.requestIdleCallback || ((f) => setTimeout(f, 1500)))(start);
  // A proactive message needs the bundle: loaded when it is due, without waiting for intent.
  if (o.proactiveMessage || o.proactiveDelay >= 0) setTimeout(start, (o.proactiveDelay || 0) * 1000);

  const call = (method, arg) => {
    if (widget) return widget[method](arg);
    if (method === 'open' || method === 'close' || method === 'toggle') {
      wantOpen = method === 'toggle' ? !wantOpen : method === 'open';
      if (wantOpen) start();
    } else {
      queued.push([method, arg]);
      start();
    }
  };
  /** Keeps what the page says about the visitor; a mounted widget is mounted again to send it. */
  const identify = (change) => {
    const next = { ...visitor, ...change };
    if (JSON.stringify(next) === JSON.stringify(visitor)) return;
    visitor = next;
    if (widget) {
      widget.destroy();
      widget = loading = null;
      draw();
      start();
    }
  };
  const controller = {
    open: () => call('open'),
    close: () => call('close'),
    toggle: () => call('toggle'),
    sendMessage: (text) => call('sendMessage', text),
    setUser: (u) => identify({
      user: u && { id: u.id == null ? u.id : String(u.id), email: u.email, name: u.name, phone: u.phone, user_hash: u.userHash },
    }),
    setAttributes: (a) => identify({ attributes: { ...visitor.attributes, ...a } }),
    setLocale(tag) {
      o.locale = tag;
      if (widget) widget.setLocale(locales(tag));
      else if (loading) queued.push(['setLocale', locales(tag)]);
    },
    show: () => host.removeAttribute('data-parlo-launcher'),
    hide: () => host.setAttribute('data-parlo-launcher', 'hidden'),
    on(name, fn) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(fn);
      if (name === 'ready' && widget) queueMicrotask(() => fn());
      return () => set.delete(fn);
    },
    reset() {
      widget?.destroy();
      unfit = unfit?.();
      bubble = null;
      widget = loading = null;
      wantOpen = false;
      queued.length = 0;
      visitor = {};
      try {
        for (const key of Object.keys(localStorage)) {
          if (key.startsWith(`parlo:${channel}:`)) localStorage.removeItem(key);
        }
      } catch {}
      emit('unread', 0);
      draw();
    },
    destroy() {
      destroyed = true;
      widget?.destroy();
      unfit = unfit?.();
      host.remove();
      instances.delete(channel);
      if (title != null) document.title = title;
      listeners.clear();
    },
  };
  instances.set(channel, controller);
  return controller;
}

/** Calls `start` once `element` is NEAR the viewport or pointed at or focused; returns a canceller. */
function whenNear(element, start) {
  if (typeof IntersectionObserver === 'undefined') return start();
  const intent = ['pointerenter', 'focusin'];
  const stop = () => {
    observer.disconnect();
    for (const type of intent) element.removeEventListener(type, go);
  };
  const go = () => (stop(), start());
  const observer = new IntersectionObserver((es) => es.some((e) => e.isIntersecting) && go(), { rootMargin: NEAR });
  observer.observe(element);
  for (const type of intent) element.addEventListener(type, go);
  return stop;
}

/** Mounts a lead form into `element`'s shadow root once it is near the viewport; see loader.d.ts. */
export function form(element, options) {
  const o = { ...options };
  if (!element || typeof element.attachShadow !== 'function') throw new TypeError('Parlo: `element` must be an element');
  if (!o.form || typeof o.form !== 'string') throw new TypeError('Parlo: `form` is required');
  o.apiBase ??= '';
  o.locale = locales(o.locale);
  flushLeads(o.bundleUrl);
  let handle = null;
  let destroyed = false;
  let start;
  const ready = new Promise((resolve) => (start = resolve)).then(() =>
    load(FORMS, o.bundleUrl).then(
      (m) => {
        if (destroyed) return;
        noteLanding();
        handle = m.mountForm(element, { ...o, capture });
      },
      (cause) => {
        throw new Error(`Parlo: cannot load the lead form "${o.form}"`, { cause });
      },
    ),
  );
  const stop = whenNear(element, start);
  return {
    ready,
    destroy() {
      destroyed = true;
      stop?.();
      handle?.destroy();
      handle = null;
    },
  };
}

/** Defines `<parlo-form form api-base bundle-url>`; see loader.d.ts. */
export function defineFormElement(name = 'parlo-form', defaults = {}) {
  if (typeof customElements === 'undefined' || customElements.get(name)) return;
  customElements.define(
    name,
    class extends HTMLElement {
      connectedCallback() {
        // The chat widget renders its pre-chat form itself, in a <parlo-form> of its shadow root.
        if (this.getRootNode().host?.hasAttribute('data-parlo-widget')) return;
        const attr = (n) => this.getAttribute(n) ?? undefined;
        if (this.parlo) return;
        this.parlo = form(this, {
          ...defaults,
          form: attr('form'),
          apiBase: attr('api-base') ?? defaults.apiBase,
          bundleUrl: attr('bundle-url') ?? defaults.bundleUrl,
          locale: attr('locale') ?? this.closest('[lang]')?.getAttribute('lang') ?? undefined,
        });
        // No page code awaits an element's form: its failure goes to the console.
        this.parlo.ready.catch((error) => console.error(error.message, error.cause));
      }
      disconnectedCallback() {
        this.parlo?.destroy();
        this.parlo = null;
      }
    },
  );
}

// The embed snippet: window.Parlo, <parlo-form>, unsent leads, the widget of `data-channel`,
// then the commands queued in Parlo.q before this script ran.
const script =
  typeof document === 'undefined'
    ? null
    : [...document.scripts].find((s) => s.src === import.meta.url && /(embed|loader)\.js/.test(s.src));
if (script) {
  const d = script.dataset;
  const apiBase = d.apiBase ?? new URL(script.src).origin;
  const queue = (window.Parlo && window.Parlo.q) || [];
  let last = null;
  const run = ([method, ...args]) => {
    if (method === 'init') {
      const o = typeof args[0] === 'string' ? { channel: args[0] } : { ...args[0] };
      o.apiBase ??= apiBase;
      last = init(o);
    } else if (method === 'form') return form(args[0], { apiBase, ...args[1] });
    else last?.[method]?.(...args);
    return last;
  };
  window.Parlo = {
    q: { push: run },
    init: (options) => run(['init', options]),
    form: (element, options) => run(['form', element, options]),
  };
  for (const m of ['open', 'close', 'toggle', 'show', 'hide', 'sendMessage', 'setUser', 'setAttributes', 'setLocale', 'on', 'reset', 'destroy']) {
    window.Parlo[m] = (...args) => last?.[m](...args);
  }
  defineFormElement('parlo-form', { apiBase });
  flushLeads();
  if (d.channel) run(['init', { channel: d.channel, apiBase, preload: d.preload, color: d.color, position: d.position, colorScheme: d.colorScheme, locale: d.locale }]);
  queue.forEach(run);
}
