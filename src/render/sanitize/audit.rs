//! An independent check of sanitized HTML, tokenized the way a browser reads it.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::rewrite::REMOVED_WITH_CONTENT;
use super::urls::{LinkTarget, Source, UrlRules};

/// Every violation in `html`, described in a few words.
pub(super) fn violations(html: &str, rules: &UrlRules) -> Vec<String> {
    let sink = Auditor {
        rules,
        found: RefCell::default(),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.take()
}

struct Auditor<'r> {
    rules: &'r UrlRules,
    found: RefCell<Vec<String>>,
}

impl TokenSink for Auditor<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let name: &str = &tag.name;
        let mut found = self.found.borrow_mut();
        if REMOVED_WITH_CONTENT.contains(&name) {
            found.push(format!("<{name}> element"));
        }
        for attr in &tag.attrs {
            let attribute: &str = &attr.name.local;
            let value: &str = &attr.value;
            if attribute.starts_with("on") || attribute == "style" {
                found.push(format!("`{attribute}` attribute on <{name}>"));
            }
            let refused = match (name, attribute) {
                (_, "srcset") => self.rules.srcset(value).is_some(),
                ("img" | "input", "src") | (_, "poster") => {
                    !matches!(self.rules.image(value), Source::Site | Source::Allowed)
                }
                (_, "src" | "data") => !matches!(self.rules.media(value), Source::Site),
                ("a", "href") => matches!(
                    self.rules.link(value),
                    LinkTarget::Tracking(_) | LinkTarget::Refused(_)
                ),
                _ => false,
            };
            if refused {
                found.push(format!("<{name} {attribute}=\"{value}\">"));
            }
        }
        // Text inside these is not markup: read it as the browser would.
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}
