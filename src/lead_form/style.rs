//! The form's CSS, the stylesheet adopted by its shadow root: the page's selectors do not reach
//! in and nothing leaks out. Unlike the widget's, the host element is page content: the page
//! may give it a width, margins, padding, a background (only its `display` is forced), and
//! every inherited property is set again inside.
//!
//! Themeable like the widget, with custom properties set on the host element (they inherit
//! into the shadow root): `--parlo-primary` (accent: button, focus), `--parlo-on-primary`
//! (text on it), `--parlo-radius`, `--parlo-font`, `--parlo-text`, `--parlo-error`.

/// Rules of the host element and everything in the form. Inputs use 16 px text, so phones
/// do not zoom in on focus.
pub const FORM_CSS: &str = r#":host{display:block!important}
*,*::before,*::after{box-sizing:border-box;margin:0;padding:0;border:0;font:inherit;color:inherit;background:none;letter-spacing:normal;text-transform:none;text-align:start}
.parlo-form,.parlo-form-note,.parlo-form-done{display:grid;gap:16px;font:400 16px/1.45 var(--parlo-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif);color:var(--parlo-text,#111827);-webkit-font-smoothing:antialiased}
.parlo-field{display:grid;gap:6px;min-width:0}
.parlo-label{display:block;font-weight:600;font-size:15px}
.parlo-req{color:var(--parlo-error,#b91c1c)}
.parlo-field-input{display:block;width:100%;min-height:44px;padding:10px 12px;border:1px solid #9ca3af;border-radius:var(--parlo-radius,10px);background:#fff;font-size:16px;color:#111827}
textarea.parlo-field-input{resize:vertical;min-height:96px}
.parlo-field-input::placeholder{color:#6b7280}
.parlo-field-input[aria-invalid="true"],.parlo-choice input[aria-invalid="true"]{border-color:var(--parlo-error,#b91c1c);outline:1px solid var(--parlo-error,#b91c1c)}
.parlo-choice{display:flex;gap:10px;align-items:flex-start;font-size:16px;cursor:pointer}
.parlo-choice input{appearance:auto;flex:none;width:20px;height:20px;margin-top:2px;accent-color:var(--parlo-primary,#2563eb)}
.parlo-help{font-size:14px;color:#4b5563}
.parlo-field-error,.parlo-form-error{font-size:14px;color:var(--parlo-error,#b91c1c)}
.parlo-submit{justify-self:start;min-height:44px;padding:10px 22px;border-radius:var(--parlo-radius,10px);background:var(--parlo-primary,#2563eb);color:var(--parlo-on-primary,#fff);font-weight:600;font-size:16px;cursor:pointer}
.parlo-submit[aria-disabled="true"]{opacity:.7;cursor:progress}
.parlo-form :focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.parlo-hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.parlo-form-done{padding:16px;border-radius:var(--parlo-radius,10px);background:#f0fdf4;color:#14532d}
"#;
