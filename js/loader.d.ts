/** Options of {@link init}. */
export interface InitOptions {
  /** Public id of the channel, e.g. "demo". */
  channel: string;
  /** Origin of the Parlo server, e.g. "https://chat.example.com". Default: the page's origin
   * (the embed snippet defaults to the origin of its script). */
  apiBase?: string;
  /** "idle": load the bundle when the browser is idle instead of waiting for intent. */
  preload?: "intent" | "idle";
  /** Launcher colour ("#rrggbb") until the channel's theme is loaded. */
  color?: string;
  /** Launcher corner until the channel's theme is loaded. Default "right". */
  position?: "left" | "right";
  /** Element the widget's host element is appended to. Default: document.body. */
  container?: Element;
  /** Text beside the launcher icon until the channel's theme (its `launcher_label`) is
   * loaded, e.g. "Chat with us". */
  launcherLabel?: string;
  /** `true`: no launcher; the page opens the chat with its own button (`open()`); `show()`
   * brings the launcher back. */
  hideLauncher?: boolean;
  /** Colours of the panel: "light" (default), "dark", or "auto" (dark when the visitor's
   * system prefers it, `prefers-color-scheme`). */
  colorScheme?: "light" | "dark" | "auto";
  /** The widget's language, a BCP 47 tag such as "de" or "fr-CA" (the embed snippet:
   * `data-locale`). Default: the page's `<html lang>`, then the browser's languages. The
   * first of these the server has texts for wins, also by prefix (`de-AT` → `de`); English
   * when none. Built in: en, de, fr, es, ar; the channel's owner can add others. Arabic and
   * other right-to-left languages mirror the panel (`dir="rtl"`). See {@link ParloWidget.setLocale}. */
  locale?: string;
  /** `true`: while there are unread messages the page's title starts with their count,
   * e.g. "(2) Bloom & Brew". */
  titleCount?: boolean;
  /** CSS font family list of the widget's text, e.g. `'"Inter", sans-serif'` (a font the page
   * loads); the channel's theme (`font_family`) wins when it sets one. Default: the system font. */
  fontFamily?: string;
  /** Corner radius of the panel and message bubbles in CSS pixels; the channel's theme
   * (`corner_radius`) wins. Default 16. */
  cornerRadius?: number;
  /** Distance of the launcher from the bottom of the page in CSS pixels (the panel opens above
   * it); the channel's theme (`offset_bottom`) wins. Default 20. */
  offsetBottom?: number;
  /** Distance of the launcher from its side of the page in CSS pixels; the channel's theme
   * (`offset_side`) wins. Default 20. */
  offsetSide?: number;
  /** Text of the proactive message: a bubble beside the closed launcher, shown once after
   * {@link proactiveDelay} seconds on the page (pressing it opens the panel, × dismisses it;
   * neither shows it again on this browser). Overrides the channel's
   * (`theme.proactive_message`). With this or `proactiveDelay` the bundle loads when the
   * message is due instead of waiting for intent; without either, a channel's message shows
   * once the bundle has loaded (on intent or `preload: "idle"`). */
  proactiveMessage?: string;
  /** Seconds on the page before the proactive message shows; overrides the channel's
   * `delay_seconds`. Default 0. */
  proactiveDelay?: number;
  /** `true`: a short beep (WebAudio, no file) when a message arrives while the panel is
   * closed. Browsers play it only once the visitor has interacted with the page. */
  sound?: boolean;
  /** Where a copy of the package's files is, overriding where they are found by default:
   * the URL of its `parlo_widget.js` (the chat widget's bundle) or of its directory (ending
   * in `/`), e.g. "https://cdn.example.com/parlo/". Next to it are `prechat/parlo_prechat.js`
   * (the widget with lead forms inside, loaded instead of `parlo_widget.js` for a channel with
   * a pre-chat form this browser has not submitted yet) and the lead forms' bundle
   * `forms/parlo_forms.js`, which sends unsent leads. Default: the files next to this loader
   * as the app's bundler emitted them (or /pkg/ for /embed.js). */
  bundleUrl?: string;
  /** Members of the channel's theme (wire names, e.g. `{ primary_color: "#0f766e",
   * launcher_label: "Ask us" }`) that replace the channel's own once it is loaded: a look not
   * saved yet, as the owner console's live preview shows it. */
  theme?: Record<string, unknown>;
}

/** A message in the `message:received` and `message:sent` events. */
export interface MessageEventDetail {
  /** Message id. */
  id: string;
  /** Position in the conversation, from 1. */
  seq: number;
  /** Who wrote it. */
  author: "bot" | "agent" | "system" | "visitor";
  /** Its text (empty for e.g. a card alone). */
  text: string;
}

/** The events of {@link ParloWidget.on} and what their listeners get. */
export interface ParloEvents {
  /** The bundle has loaded and the widget is mounted (a listener added later is called at once). */
  ready: undefined;
  /** The panel opened (by the visitor, the page, or by itself after a reload). */
  open: undefined;
  /** The panel closed. */
  close: undefined;
  /** A new bot, agent or system message arrived (not the history restored at load). */
  "message:received": MessageEventDetail;
  /** The server stored a visitor message. */
  "message:sent": MessageEventDetail;
  /** Messages received while the panel was closed; 0 when it opens. The launcher shows it. */
  unread: number;
  /** A form inside the widget (the channel's pre-chat form) created a lead: the server has
   * stored the submission; same `detail` as that form's `parlo:success` event. */
  lead: FormEventDetail;
  /** Something went wrong: the bundle did not load, a message could not be sent, the
   * channel refuses this site, or the server refused the user of {@link ParloWidget.setUser}
   * (wrong `userHash`). */
  error: { message: string };
}

/** The site's signed-in user, for {@link ParloWidget.setUser}. */
export interface ParloUser {
  /** The user's id in the site's own user base (1..=255 characters); a number is sent as
   * its decimal text, which is what `userHash` must sign. */
  id?: string | number;
  /** E-mail address (stored as the custom field `email`). */
  email?: string;
  /** Full name (custom field `name`). */
  name?: string;
  /** Phone number (custom field `phone`). */
  phone?: string;
  /** Lower-case hex HMAC-SHA256 of `id` with the channel's identity secret (64 digits),
   * computed by the site's back end. Required with `id`. */
  userHash?: string;
}

/** Controller of one widget on the page (each channel has its own). Commands given before
 * the bundle has loaded are queued (opening or sending loads it). */
export interface ParloWidget {
  open(): void;
  close(): void;
  toggle(): void;
  /** Shows the launcher. */
  show(): void;
  /** Hides the launcher (the panel can still be opened with {@link open}). */
  hide(): void;
  /**
   * Sends a visitor message as if typed (trimmed). Throws when it is blank or longer than
   * 2000 characters; called before the widget has loaded, such a message is dropped and
   * reported as an `error` event instead.
   */
  sendMessage(text: string): void;
  /**
   * Tells the widget who the site's signed-in user is (identity verification). Sent with the
   * session start; called after the widget has loaded, it mounts the widget again so the
   * session is resumed as that user. `id` is taken only with `userHash`, computed by the
   * site's back end (never in the browser; the secret must stay on the server):
   * `userHash = hex(HMAC-SHA256(key = the channel's identity secret, message = id))`, lower
   * case. With a valid hash the visitor joins the workspace's subscriber with that id
   * (their anonymous conversation is merged into it), so the same user sees the same
   * conversation on every browser. A missing or wrong hash is refused: the widget says so
   * and emits `error`. `name`, `email`, `phone` are stored as the subscriber's custom fields
   * of those names. On log-out call {@link reset}. See the README, "Verified identity".
   */
  setUser(user: ParloUser): void;
  /** Sets custom fields of the visitor's subscriber (merged with earlier calls), by field
   * name (1..=64 of `a-z`, `0-9`, `_`; a missing field is created as text), sent with the
   * session start like {@link setUser}. Never identity. */
  setAttributes(attributes: Record<string, string | number | boolean | string[]>): void;
  /** Switches the widget's texts to the language `tag` (BCP 47, e.g. "fr"), as the `locale`
   * option chooses it (falling back to the page's and the browser's languages, then English).
   * Before the bundle has loaded it only sets the language it will load with. */
  setLocale(tag: string): void;
  /** Calls `listener` on each `event`; returns a function that removes it. */
  on<E extends keyof ParloEvents>(event: E, listener: (detail: ParloEvents[E]) => void): () => void;
  /** Forgets the visitor (e.g. when they log out of the site) and the user and attributes
   * given: the widget is unmounted, this
   * browser's data of the channel (`localStorage` `parlo:<channel>:*`: session, open panel,
   * pre-chat form) is deleted and the launcher drawn again; the next chat is a new visitor's. */
  reset(): void;
  /** Removes the widget, closes its connections. */
  destroy(): void;
}

/**
 * Adds the chat widget to the page (idempotent per channel) and returns its controller. Also
 * defines `<parlo-form>` ({@link defineFormElement}) when it is not defined yet, for the
 * page's forms.
 *
 * On intent (or when idle with `preload: "idle"`) it fetches the channel's public
 * configuration (`GET {apiBase}/api/public/v1/channels/{channel}`) to choose the bundle: when
 * it names a `pre_chat_form` other than the one this browser has submitted
 * (`localStorage["parlo:<channel>:pre_chat"]`, written by the widget), the widget with lead
 * forms inside (`prechat/parlo_prechat.js`), which shows that form in the panel first;
 * otherwise the chat alone (`parlo_widget.js`). The widget gets that configuration with its options
 * (`mountWidget`'s `config`), so it is requested once. The pre-chat form is a `<parlo-form>` inside the
 * widget's shadow root, rendered by the widget itself; the page hears its `parlo:*` events
 * like any form's.
 */
export function init(options: InitOptions | string): ParloWidget;

/** Options of {@link form}. */
export interface FormOptions {
  /** Public id of the lead form, e.g. "quote". */
  form: string;
  /** Origin of the Parlo server. Default: the page's origin (the embed snippet: its script's). */
  apiBase?: string;
  /** The language of the form's own texts (states, field checks), a BCP 47 tag such as
   * "es". Default: the page's `<html lang>`, then the browser's languages; English when the
   * server has none of them. The owner's labels are the form's own. */
  locale?: string;
  /** Where a copy of the package's files is (see {@link InitOptions.bundleUrl}): forms load
   * their own bundle, `forms/parlo_forms.js` in that directory. Default: next to this loader
   * as the app's bundler emitted it (or /pkg/ for /embed.js). */
  bundleUrl?: string;
  /** Called when the visitor submits a valid form (before it is sent); same `detail` as the
   * `parlo:submit` DOM event. */
  onSubmit?: (detail: FormEventDetail) => void;
  /** Called when the server has stored the submission (at once, or later from the offline
   * queue while the form is still on the page); same `detail` as `parlo:success`. */
  onSuccess?: (detail: FormEventDetail) => void;
  /** Called when the server refused the submission for good (e.g. a 422 with per-field
   * errors, shown on the fields); same `detail` as `parlo:failure`. */
  onFailure?: (detail: FormEventDetail) => void;
}

/** `detail` of the `parlo:submit`, `parlo:success` and `parlo:failure` events (bubbling,
 * composed `CustomEvent`s dispatched on the form's host element). */
export interface FormEventDetail {
  /** Public id of the form. */
  form: string;
  /** Idempotency key of the submission (a UUID made in the browser). */
  idempotencyKey: string;
  /** The submitted values by field name (checkbox fields: an array of the chosen options). */
  values: Record<string, string | string[] | boolean>;
  /** `parlo:submit` only: `true` when the browser is offline and the submission was queued. */
  queued?: boolean;
  /** `parlo:success` only: when the server first accepted it (RFC 3339). */
  acceptedAt?: string;
  /** `parlo:failure` only: the server's problem+json body (RFC 9457). */
  problem?: { status: number; code: string; title: string; detail?: string; errors?: { pointer: string; message: string }[] };
}

/** A lead form on the page. */
export interface ParloForm {
  /** Resolves once the forms bundle has loaded and the form is mounted; rejects with an
   * `Error` (its `cause` the import's error) when the bundle cannot be loaded. Never settles
   * if destroyed before the element came near the viewport. (A `<parlo-form>` element logs
   * that failure to the console itself.) */
  ready: Promise<void>;
  /** Removes the form. A submission already made stays queued until the server confirms it. */
  destroy(): void;
}

/**
 * Mounts the lead form `options.form` into the shadow root of `element` (attached when
 * missing). Forms have their own wasm bundle (`forms/parlo_forms.js`), separate from the chat
 * widget's. It loads once the element is within 600 px of the viewport (IntersectionObserver;
 * at once in browsers without it) or the visitor points at or focuses it (e.g. a link inside
 * it: until the form is mounted the element shows its own light DOM content), so a form
 * further down the page costs nothing until the visitor scrolls towards it.
 *
 * Every submission gets an idempotency key and is written to `localStorage`
 * (`parlo:lead:<key>`) before it is first sent; it stays there until the server confirms
 * it, retried with exponential backoff and jitter while offline, on timeouts, network
 * errors, 429 and 5xx, and at once on the `online` event. A page on which this loader runs
 * again (the embed snippet, `init` or `form`) and finds such leftovers loads the forms bundle
 * at once (the only case it loads before a form is near) and sends them, even without a form
 * on it. A 4xx answer other than 429 is final: shown, not retried.
 */
export function form(element: HTMLElement, options: FormOptions): ParloForm;

/**
 * Defines the custom element `<parlo-form form="quote" api-base="…" bundle-url="…" locale="…">`: a
 * {@link form} mounted while the element is in the document (except the one the chat widget
 * renders in its own shadow root for a pre-chat form). The embed snippet defines it
 * itself, and so does {@link init}; with the npm package and forms only, call this once. Does nothing when `name` is already defined.
 * Its `locale` attribute is the form's {@link FormOptions.locale}; without it, the `lang` of
 * the element or its nearest ancestor that has one.
 */
export function defineFormElement(name?: string, defaults?: Partial<FormOptions>): void;

/**
 * `window.Parlo`, set by the embed snippet (`/embed.js`). Its widget methods act on the widget
 * initialised last (`init(channel)` returns the controller of any widget of the page, e.g. a
 * second channel's). Before the snippet has run, a page may set `window.Parlo = { q: [] }`
 * and push commands such as `["init", { channel: "demo" }]`, `["setUser", { id, userHash }]`, `["on", "unread", fn]` or
 * `["open"]` into `q`; they run in order once it has.
 */
export interface ParloGlobal extends ParloWidget {
  q: { push(command: [string, ...unknown[]]): unknown };
  init(options: InitOptions | string): ParloWidget;
  form(element: HTMLElement, options: FormOptions): ParloForm;
}

declare global {
  interface Window {
    Parlo?: ParloGlobal | { q: [string, ...unknown[]][] };
  }
}
