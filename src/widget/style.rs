//! The widget's CSS, the stylesheet adopted by its shadow root (see [`crate::shadow`]).
//!
//! Nothing leaks out and the page's CSS does not get in; the host element itself is reset
//! with `all: initial` and `!important` (which, for the host, beats the page's rules).
//! [`LAUNCHER_CSS`] is also, verbatim, in `loader.js`, which draws the launcher before the
//! bundle loads, so nothing moves when the bundle takes over (a test checks they match).
//! The panel's colours are custom properties (`--parlo-bg`, `--parlo-fg`, `--parlo-accent`
//! for text in the accent colour on the panel's background, …) with a light and a dark set:
//! [`Scheme`] picks one, or lets `prefers-color-scheme` pick. In the dark set, text that is
//! in the accent colour on a light panel is light, so it stays readable (WCAG AA contrast).
//!
//! The look a channel or the page chooses is custom properties too, each with its default as
//! the fallback of every `var()`: `--parlo-font` (font family list), `--parlo-radius` (corner
//! radius of the panel and bubbles), `--parlo-bottom` and `--parlo-side` (the launcher's
//! distance from the page's edges; the panel and the proactive message, `.parlo-proactive`,
//! sit above it). The loader sets them on the host element, where they inherit into the
//! shadow root: the page's choices (its init options) at once, the channel's theme (which
//! wins) once it has read it, before the bundle mounts. It also draws the proactive message.
//! On small screens the panel fills the visual viewport the loader measures
//! (`--parlo-vt`, `--parlo-vh`: its top and height), so an on-screen keyboard does not hide
//! the composer. With `prefers-reduced-motion: reduce` nothing moves.
//! In a right-to-left language (`dir="rtl"` on the root) the panel's content is mirrored
//! through logical properties; the launcher and the panel stay in the owner's corner.

/// Colour scheme of the panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scheme {
    /// Dark text on light backgrounds (the default).
    #[default]
    Light,
    /// Light text on dark backgrounds.
    Dark,
    /// Dark when the visitor's system prefers it (`prefers-color-scheme: dark`), else light.
    Auto,
}

impl Scheme {
    /// `light`, `dark` or `auto`; anything else is `None`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "light" => Some(Self::Light),
            "dark" => Some(Self::Dark),
            "auto" => Some(Self::Auto),
            _ => None,
        }
    }

    /// The root element's class for it, if any.
    pub fn class(self) -> Option<&'static str> {
        match self {
            Self::Light => None,
            Self::Dark => Some("parlo--dark"),
            Self::Auto => Some("parlo--auto"),
        }
    }
}

/// Rules of the host element and the launcher, shared with `loader.js`.
pub const LAUNCHER_CSS: &str = r#":host{all:initial!important;display:block!important;position:fixed!important;inset:auto!important;width:0!important;height:0!important;overflow:visible!important;z-index:2147483000!important;visibility:visible!important;opacity:1!important;pointer-events:auto!important}*,*::before,*::after{box-sizing:border-box;margin:0;padding:0;border:0;font:inherit;color:inherit;background:none;letter-spacing:normal;text-transform:none;text-align:start}.parlo{--parlo-primary:#2563eb;--parlo-on-primary:#fff;display:block;font:400 15px/1.4 var(--parlo-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif);color:#111827;-webkit-font-smoothing:antialiased}.parlo-launcher{position:fixed;bottom:var(--parlo-bottom,20px);right:var(--parlo-side,20px);left:auto;display:flex;align-items:center;justify-content:center;width:56px;height:56px;border-radius:50%;background:var(--parlo-primary);color:var(--parlo-on-primary);box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer;z-index:2}.parlo--left .parlo-launcher{left:var(--parlo-side,20px);right:auto}.parlo-launcher svg{display:block;width:28px;height:28px;fill:currentColor}.parlo-launcher:focus-visible,.parlo button:focus-visible,.parlo textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}.parlo-launcher--label{width:auto;gap:8px;padding:0 20px 0 16px;border-radius:28px;font-weight:600}.parlo-badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/22px system-ui,sans-serif;text-align:center}:host([data-parlo-launcher=hidden]) .parlo-launcher{display:none}"#;

/// Rules of the panel and everything in it.
pub const PANEL_CSS: &str = r#"
.parlo{--parlo-accent:var(--parlo-primary);--parlo-bg:#fff;--parlo-bg2:#f9fafb;--parlo-fg:#111827;--parlo-line:#e5e7eb;--parlo-muted:#6b7280;--parlo-code:rgba(0,0,0,.06)}
.parlo--dark{--parlo-accent:#f3f4f6;--parlo-bg:#1f2937;--parlo-bg2:#111827;--parlo-fg:#f3f4f6;--parlo-line:#374151;--parlo-muted:#9ca3af;--parlo-code:rgba(255,255,255,.1)}
@media (prefers-color-scheme:dark){.parlo--auto{--parlo-accent:#f3f4f6;--parlo-bg:#1f2937;--parlo-bg2:#111827;--parlo-fg:#f3f4f6;--parlo-line:#374151;--parlo-muted:#9ca3af;--parlo-code:rgba(255,255,255,.1)}}
.parlo-panel{position:fixed;bottom:calc(var(--parlo-bottom,20px) + 68px);right:var(--parlo-side,20px);left:auto;display:flex;flex-direction:column;width:370px;max-width:calc(100vw - 40px);height:600px;max-height:calc(100vh - 88px - var(--parlo-bottom,20px));background:var(--parlo-bg);color:var(--parlo-fg);border-radius:var(--parlo-radius,16px);box-shadow:0 12px 40px rgba(0,0,0,.25);overflow:hidden;z-index:1}
.parlo--left .parlo-panel,.parlo--left .parlo-proactive{left:var(--parlo-side,20px);right:auto}
.parlo-header{display:flex;align-items:flex-start;gap:8px;padding:14px 16px;background:var(--parlo-primary);color:var(--parlo-on-primary)}
.parlo-header__text{display:block;flex:1;min-width:0}
.parlo-header__name{display:block;font-size:16px;font-weight:600}
.parlo-header__greeting,.parlo-header__status{display:block;font-size:13px}
.parlo-header__status::before{content:"";display:inline-block;width:8px;height:8px;margin-inline-end:6px;border-radius:50%;background:#9ca3af;vertical-align:middle}
.parlo-header__status[data-parlo-status="online"]::before{background:#22c55e}
[data-parlo-availability="away"] .parlo-header__status[data-parlo-status="online"]::before{background:#f59e0b}
.parlo-close{display:flex;align-items:center;justify-content:center;width:32px;height:32px;border-radius:8px;cursor:pointer;color:inherit;font-size:22px;line-height:1}
.parlo-close:hover{background:rgba(255,255,255,.15)}
.parlo-menu{position:relative}
.parlo-menu__items{position:absolute;inset-inline-end:0;top:36px;z-index:1;min-width:200px;padding:8px;border-radius:10px;background:var(--parlo-bg);box-shadow:0 6px 20px rgba(0,0,0,.2)}
.parlo-log{display:flex;flex-direction:column;gap:8px;flex:1;overflow-y:auto;padding:16px;background:var(--parlo-bg2);overscroll-behavior:contain}
.parlo-msg{display:flex;flex-direction:column;gap:6px;max-width:85%;white-space:pre-wrap;overflow-wrap:anywhere}
.parlo-msg__text{display:block;padding:9px 13px;border-radius:var(--parlo-radius,16px)}
.parlo-msg--bot,.parlo-msg--agent{align-self:flex-start}
.parlo-msg--bot .parlo-msg__text,.parlo-msg--agent .parlo-msg__text{background:var(--parlo-bg);border:1px solid var(--parlo-line);border-end-start-radius:4px}
.parlo-msg--visitor{align-self:flex-end;align-items:flex-end}
.parlo-msg--visitor .parlo-msg__text{background:var(--parlo-primary);color:var(--parlo-on-primary);border-end-end-radius:4px}
.parlo-msg--sending .parlo-msg__text{opacity:.7}
.parlo-msg__state{display:block;font-size:12px;opacity:.8}
.parlo-msg__text p+*,.parlo-msg__text ul+*,.parlo-msg__text ol+*{margin-top:6px}
.parlo-msg__text ul,.parlo-msg__text ol{padding-inline-start:20px}[dir=rtl] .parlo-send svg{transform:scaleX(-1)}
.parlo-msg__text ul{list-style:disc}.parlo-msg__text ol{list-style:decimal}
.parlo-msg__text strong{font-weight:700}.parlo-msg__text em{font-style:italic}
.parlo-msg__text code{padding:0 4px;border-radius:4px;background:var(--parlo-code);font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
.parlo-msg__text a{color:inherit;text-decoration:underline}
.parlo-msg--system{align-self:center;max-width:100%;font-size:12px;color:var(--parlo-muted);text-align:center}
.parlo-img{display:block;max-width:100%;max-height:240px;border-radius:12px;object-fit:cover;color:var(--parlo-muted);font-size:13px}
.parlo-carousel{display:flex;gap:8px;max-width:100%;overflow-x:auto;scroll-snap-type:x mandatory;padding-bottom:4px}
.parlo-card{display:flex;flex-direction:column;gap:4px;flex:0 0 220px;scroll-snap-align:start;padding:8px;border:1px solid var(--parlo-line);border-radius:14px;background:var(--parlo-bg);white-space:normal}
.parlo-card .parlo-img{border-radius:8px;max-height:140px;width:100%}
.parlo-card__title{display:block;font-weight:600}
.parlo-card__subtitle{display:block;font-size:13px;color:var(--parlo-muted)}
.parlo-buttons,.parlo-chips{display:flex;flex-wrap:wrap;gap:6px}
.parlo-buttons{flex-direction:column}
.parlo-btn,.parlo-chip{display:block;padding:7px 12px;border:1px solid var(--parlo-primary);border-radius:10px;background:var(--parlo-bg);color:var(--parlo-accent);font-size:14px;cursor:pointer;text-align:center}
.parlo-chip{border-radius:999px}
.parlo-btn:hover,.parlo-chip:hover{background:var(--parlo-primary);color:var(--parlo-on-primary)}
.parlo-chips{justify-content:flex-end}
.parlo-retry{display:block;font-size:12px;color:#b91c1c;cursor:pointer;text-decoration:underline}
.parlo-typing{display:flex;gap:4px;min-height:0;padding:0 16px;background:var(--parlo-bg2)}
.parlo-typing i{display:block;width:7px;height:7px;margin:0 0 10px;border-radius:50%;background:#9ca3af;animation:parlo-blink 1.2s infinite}
.parlo-typing i:nth-child(2){animation-delay:.2s}.parlo-typing i:nth-child(3){animation-delay:.4s}
@keyframes parlo-blink{0%,80%,100%{opacity:.3}40%{opacity:1}}
.parlo-composer{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid var(--parlo-line);background:var(--parlo-bg)}
.parlo-input{display:block;flex:1;min-height:40px;max-height:120px;padding:9px 12px;border:1px solid var(--parlo-line);border-radius:12px;font-size:16px;line-height:1.35;resize:none;background:var(--parlo-bg);color:var(--parlo-fg);white-space:pre-wrap}
.parlo-input::placeholder{color:var(--parlo-muted)}
.parlo-send{display:flex;align-items:center;justify-content:center;width:40px;height:40px;border-radius:50%;background:var(--parlo-primary);color:var(--parlo-on-primary);cursor:pointer}
.parlo-send svg{display:block;width:20px;height:20px;fill:currentColor}
.parlo-prechat{display:flex;flex-direction:column;gap:12px;flex:1;overflow-y:auto;padding:16px;background:var(--parlo-bg2);overscroll-behavior:contain}
.parlo-prechat__title{display:block;font-size:16px;font-weight:600}
.parlo-prechat parlo-form{display:block}
.parlo-error{display:block;padding:0 12px 8px;font-size:13px;color:#b91c1c;background:var(--parlo-bg)}
.parlo-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
.parlo-proactive{position:fixed;bottom:calc(var(--parlo-bottom,20px) + 68px);right:var(--parlo-side,20px);display:flex;align-items:flex-start;max-width:min(280px,calc(100vw - 40px));border-radius:var(--parlo-radius,16px);background:var(--parlo-bg);color:var(--parlo-fg);box-shadow:0 6px 20px rgba(0,0,0,.2);animation:parlo-in .3s ease-out}
.parlo-proactive__text{display:block;flex:1;padding:12px 4px 12px 14px;cursor:pointer;overflow-wrap:anywhere}
.parlo-proactive .parlo-close{flex:none;margin:4px;color:var(--parlo-muted)}
:host([data-parlo-launcher=hidden]) .parlo-proactive{display:none}
@keyframes parlo-in{from{opacity:0;transform:translateY(8px)}}
.parlo-rating{display:flex;flex:1;justify-content:center;gap:4px}
.parlo-star{display:block;padding:0 4px;font-size:30px;line-height:40px;color:var(--parlo-accent);cursor:pointer}
.parlo-star:hover~.parlo-star{color:var(--parlo-muted)}
@media (max-width:480px){.parlo-panel,.parlo--left .parlo-panel{inset:var(--parlo-vt,0px) 0 auto;width:100%;max-width:none;height:var(--parlo-vh,100%);max-height:none;border-radius:0;padding-bottom:env(safe-area-inset-bottom)}.parlo-panel~.parlo-launcher{display:none}}
@media (prefers-reduced-motion:reduce){.parlo *{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
"#;
