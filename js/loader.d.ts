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
  /** URL of the bundle's `parlo.js`. Default: next to this loader (or /pkg/ for /embed.js). */
  bundleUrl?: string;
}

/** Controller of one widget on the page. Commands given before the bundle has loaded are
 * queued (opening loads it). */
export interface ParloWidget {
  open(): void;
  close(): void;
  toggle(): void;
  /** Sends a visitor message as if typed. */
  sendMessage(text: string): void;
  /** Removes the widget, closes its connections. */
  destroy(): void;
}

/** Adds the chat widget to the page (idempotent per channel) and returns its controller. */
export function init(options: InitOptions | string): ParloWidget;
