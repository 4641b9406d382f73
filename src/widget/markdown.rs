//! The Markdown subset of bot and agent messages, parsed into a tree the widget turns into
//! DOM nodes (never into HTML source, so nothing in a message is ever parsed as markup).
//!
//! | Markdown | result |
//! |---|---|
//! | `**bold**`, `__bold__` | [`Inline::Strong`] |
//! | `*italic*`, `_italic_` | [`Inline::Emphasis`] (`_` not inside a word) |
//! | `` `code` `` | [`Inline::Code`], its text taken as is |
//! | `[text](url)` | [`Inline::Link`] when [`safe_href`] accepts `url`, else the text as written |
//! | `https://…`, `http://…` | [`Inline::Link`] (auto-link, up to a space, `<` or `>`; trailing `.,:;!?)'"` left out) |
//! | lines starting `- `, `* `, `+ ` | [`Block::List`], unordered |
//! | lines starting `1. ` or `1) ` | [`Block::List`], ordered |
//! | a line break | [`Inline::Break`]; a blank line starts a new [`Block::Paragraph`] |
//! | `\` before ASCII punctuation | that character, literally |
//!
//! Everything else — HTML tags, entities, headings, images — stays text. A delimiter without
//! its closing partner is text too. Nesting is bounded: the text inside a pair of delimiters
//! holds no delimiter of the same kind, so parsing is at most a few levels deep.

/// A block of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Lines of text, joined by [`Inline::Break`].
    Paragraph(Vec<Inline>),
    /// Consecutive list items.
    List {
        /// Numbered (`1.`) rather than bulleted.
        ordered: bool,
        /// The items' contents.
        items: Vec<Vec<Inline>>,
    },
}

/// A piece of text of a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Strong emphasis (bold).
    Strong(Vec<Inline>),
    /// Emphasis (italic).
    Emphasis(Vec<Inline>),
    /// Inline code.
    Code(String),
    /// A link; `href` passed [`safe_href`].
    Link {
        /// The target.
        href: String,
        /// The link text (holds no link).
        children: Vec<Inline>,
    },
    /// A line break.
    Break,
}

/// `url` when it is a link the widget may open ([`parlo_model::link::is_link`], the one
/// URL validator of the API and the widget): an `http`/`https` URL with a valid host, a
/// `mailto:` address or a `tel:` number, without whitespace or control characters (which
/// browsers strip or reinterpret, as in `java\tscript:`). Anything else — `javascript:`,
/// `data:`, relative or protocol-relative URLs, entity-encoded schemes — is `None`.
pub fn safe_href(url: &str) -> Option<&str> {
    parlo_model::link::is_link(url).then_some(url)
}

/// Parses `text` into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<Vec<Inline>>)> = None;
    for line in text.lines() {
        let item = list_item(line);
        if line.trim().is_empty() || item.is_some() {
            flush_paragraph(&mut paragraph, &mut blocks);
        }
        match item {
            Some((ordered, rest)) => match &mut list {
                Some((kind, items)) if *kind == ordered => items.push(inlines(rest, true)),
                _ => {
                    flush_list(&mut list, &mut blocks);
                    list = Some((ordered, vec![inlines(rest, true)]));
                }
            },
            None => {
                flush_list(&mut list, &mut blocks);
                if !line.trim().is_empty() {
                    paragraph.push(line);
                }
            }
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    flush_list(&mut list, &mut blocks);
    blocks
}

fn flush_paragraph(lines: &mut Vec<&str>, blocks: &mut Vec<Block>) {
    if lines.is_empty() {
        return;
    }
    let mut content = Vec::new();
    for (i, line) in lines.drain(..).enumerate() {
        if i > 0 {
            content.push(Inline::Break);
        }
        content.extend(inlines(line, true));
    }
    blocks.push(Block::Paragraph(content));
}

fn flush_list(list: &mut Option<(bool, Vec<Vec<Inline>>)>, blocks: &mut Vec<Block>) {
    if let Some((ordered, items)) = list.take() {
        blocks.push(Block::List { ordered, items });
    }
}

/// `(ordered, rest)` when `line` is a list item.
fn list_item(line: &str) -> Option<(bool, &str)> {
    let line = line.trim_start();
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some((false, rest));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (1..=9)
        .contains(&digits)
        .then(|| rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")))
        .flatten()
        .map(|rest| (true, rest))
}

/// Parses the inline Markdown of `text`; `links`: links may appear (not inside a link's text).
fn inlines(text: &str, links: bool) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if let Some((node, used)) = special(text, i, links) {
            if !plain.is_empty() {
                out.push(Inline::Text(std::mem::take(&mut plain)));
            }
            out.push(node);
            i += used;
        } else if let Some(c) = rest
            .strip_prefix('\\')
            .and_then(|r| r.chars().next())
            .filter(char::is_ascii_punctuation)
        {
            plain.push(c);
            i += 2;
        } else {
            let c = rest.chars().next().unwrap_or_default();
            plain.push(c);
            i += c.len_utf8().max(1);
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// The node starting at byte `i` of `text` and the bytes it spans, if one does.
fn special(text: &str, i: usize, links: bool) -> Option<(Inline, usize)> {
    let rest = &text[i..];
    let before = text[..i].chars().next_back();
    let word_before = before.is_some_and(word_char);
    if let Some(code) = rest.strip_prefix('`') {
        let end = code.find('`').filter(|&end| end > 0)?;
        return Some((Inline::Code(code[..end].to_owned()), end + 2));
    }
    for (delimiter, strong) in [("**", true), ("__", true), ("*", false), ("_", false)] {
        let mark = delimiter.chars().next();
        // A delimiter is a whole run: `__x` is not `_` then `_x`.
        if !rest.starts_with(delimiter) || (mark == Some('_') && word_before) || before == mark {
            continue;
        }
        let inner = &rest[delimiter.len()..];
        let Some(end) = find(inner, delimiter) else {
            continue;
        };
        let body = &inner[..end];
        let after = inner[end + delimiter.len()..].chars().next();
        let bad_edges = body.is_empty()
            || body.starts_with(char::is_whitespace)
            || body.ends_with(char::is_whitespace)
            || after == mark
            || (mark == Some('_') && after.is_some_and(word_char));
        if bad_edges || (!strong && body.starts_with(delimiter)) {
            continue;
        }
        let children = inlines(body, links);
        let node = if strong {
            Inline::Strong(children)
        } else {
            Inline::Emphasis(children)
        };
        return Some((node, end + 2 * delimiter.len()));
    }
    if !links {
        return None;
    }
    if rest.starts_with('[') {
        return link(rest);
    }
    if word_before {
        return None;
    }
    autolink(rest)
}

/// Byte offset of the first `needle` (1 or 2 ASCII bytes) in `haystack`: a plain scan, as
/// `str::find` with a string pattern brings a general substring searcher into the bundle.
fn find(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w == needle)
}

/// Whether `c` may be part of a word: an ASCII letter or digit, or any non-ASCII character
/// (so `_` inside `für_alle` is not emphasis; Unicode's letter tables would cost the bundle
/// several kilobytes).
fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || !c.is_ascii()
}

/// `[text](url)` at the start of `rest`, when `url` is safe.
fn link(rest: &str) -> Option<(Inline, usize)> {
    let close = find(rest, "](")?;
    let label = &rest[1..close];
    let target = &rest[close + 2..];
    let end = target.find(')')?;
    if label.is_empty() || label.contains('[') {
        return None;
    }
    let href = safe_href(&target[..end])?;
    let node = Inline::Link {
        href: href.to_owned(),
        children: inlines(label, false),
    };
    Some((node, close + 2 + end + 1))
}

/// An `http(s)://` URL at the start of `rest`, up to whitespace, `<` or `>`, without trailing
/// punctuation.
fn autolink(rest: &str) -> Option<(Inline, usize)> {
    let web = ["https://", "http://"]
        .iter()
        .any(|s| rest.len() > s.len() && rest.as_bytes()[..s.len()].eq_ignore_ascii_case(s.as_bytes()));
    if !web {
        return None;
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        .unwrap_or(rest.len());
    let url = rest[..end].trim_end_matches(['.', ',', ':', ';', '!', '?', ')', '\'', '"']);
    if !parlo_model::link::is_web_url(url) {
        return None;
    }
    let node = Inline::Link {
        href: url.to_owned(),
        children: vec![Inline::Text(url.to_owned())],
    };
    Some((node, url.len()))
}

#[cfg(test)]
mod tests {
    use super::{Block, Inline, parse, safe_href};

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_owned())
    }

    fn one(markdown: &str) -> Vec<Inline> {
        match parse(markdown).as_slice() {
            [Block::Paragraph(inlines)] => inlines.clone(),
            other => panic!("not one paragraph: {other:?}"),
        }
    }

    fn link(href: &str, label: &str) -> Inline {
        Inline::Link {
            href: href.to_owned(),
            children: vec![text(label)],
        }
    }

    #[test]
    fn emphasis_code_and_breaks() {
        assert_eq!(
            one("a **b** _c_ `*d*`\nnext"),
            vec![
                text("a "),
                Inline::Strong(vec![text("b")]),
                text(" "),
                Inline::Emphasis(vec![text("c")]),
                text(" "),
                Inline::Code("*d*".into()),
                Inline::Break,
                text("next"),
            ]
        );
        assert_eq!(
            one("**bold _and italic_**"),
            vec![Inline::Strong(vec![
                text("bold "),
                Inline::Emphasis(vec![text("and italic")])
            ])]
        );
    }

    #[test]
    fn lone_or_intraword_delimiters_stay_text() {
        assert_eq!(one("2 * 3 = 6"), vec![text("2 * 3 = 6")]);
        assert_eq!(one("snake_case_name"), vec![text("snake_case_name")]);
        assert_eq!(one("** not bold **"), vec![text("** not bold **")]);
        assert_eq!(one("\\*literal\\*"), vec![text("*literal*")]);
        assert_eq!(one("``"), vec![text("``")]);
        assert_eq!(one("a.__b=(c.__d"), vec![text("a.__b=(c.__d")]);
        assert_eq!(one("***x***"), vec![text("***x***")]);
    }

    #[test]
    fn links_and_autolinks() {
        assert_eq!(
            one("[Shop](https://example.com/shop) or https://example.com/a_b."),
            vec![
                link("https://example.com/shop", "Shop"),
                text(" or "),
                link("https://example.com/a_b", "https://example.com/a_b"),
                text(".")
            ]
        );
        assert_eq!(one("[Call](tel:+441234)"), vec![link("tel:+441234", "Call")]);
        assert_eq!(one("[Mail](MAILTO:a@b.c)"), vec![link("MAILTO:a@b.c", "Mail")]);
        assert_eq!(
            one("(see https://x.org)"),
            vec![text("(see "), link("https://x.org", "https://x.org"), text(")")]
        );
        assert_eq!(
            one("<https://x.org>"),
            vec![text("<"), link("https://x.org", "https://x.org"), text(">")]
        );
    }

    #[test]
    fn unsafe_links_stay_text() {
        for markdown in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](data:text/html,<script>alert(1)</script>)",
            "[x](//evil.example)",
            "[x](/relative)",
            "[x](https://)",
        ] {
            let nodes = one(markdown);
            assert!(
                nodes.iter().all(|n| matches!(n, Inline::Text(_))),
                "{markdown}: {nodes:?}"
            );
        }
        // Not a Markdown link, but the URL in it is a safe auto-link.
        assert_eq!(
            one("[x]( https://ok.example)"),
            vec![
                text("[x]( "),
                link("https://ok.example", "https://ok.example"),
                text(")")
            ]
        );
        assert_eq!(safe_href("javascript:https://x"), None);
        assert_eq!(safe_href("HTTPS://x"), Some("HTTPS://x"));
    }

    #[test]
    fn html_stays_text() {
        assert_eq!(
            one("<b onclick=alert(1)>hi</b> &amp;"),
            vec![text("<b onclick=alert(1)>hi</b> &amp;")]
        );
    }

    #[test]
    fn lists_and_paragraphs() {
        assert_eq!(
            parse("Menu:\n- **Latte**\n- Tea\n\n1. one\n2) two\nend"),
            vec![
                Block::Paragraph(vec![text("Menu:")]),
                Block::List {
                    ordered: false,
                    items: vec![vec![Inline::Strong(vec![text("Latte")])], vec![text("Tea")]],
                },
                Block::List {
                    ordered: true,
                    items: vec![vec![text("one")], vec![text("two")]],
                },
                Block::Paragraph(vec![text("end")]),
            ]
        );
    }

    #[test]
    fn link_text_holds_no_link() {
        assert_eq!(
            one("[see https://b.example](https://a.example)"),
            vec![Inline::Link {
                href: "https://a.example".into(),
                children: vec![text("see https://b.example")],
            }]
        );
    }
}
