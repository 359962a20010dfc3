//! Answers that are not JSON, typed by status and content type: a redirect, an HTML or text
//! page, or an auto-posting form (3-D Secure style: its action and fields), for operations
//! whose spec declares them in `answers`. Never `Ok(Null)`.
//!
//! Forms are read with `html5gum`, a small, dependency-free WHATWG tokenizer (a tree builder
//! such as `scraper` would pull in html5ever and selectors for what is a flat scan of `<form>`,
//! `<input>` tags). Tags inside `<script>`, `<style>`, `<template>` and `<textarea>` are skipped.

use std::fmt;

use html5gum::{Token, Tokenizer};

use super::{OperationMeta, RawResponse};
use crate::error::Error;
use crate::redact::{excerpt_text, redact_text};

/// What an operation with declared non-JSON answers returned.
#[derive(Clone, PartialEq)]
pub enum Answer<T> {
    /// The documented JSON answer, decoded.
    Data(T),
    /// A redirect (3xx) to `location`, exactly as the provider sent it (it may be relative).
    Redirect {
        /// HTTP status (301, 302, 303, 307, 308).
        status: u16,
        /// The `Location` header.
        location: String,
    },
    /// An HTML page (not a form), as text.
    Html(String),
    /// A plain-text body.
    Text(String),
    /// An HTML page whose form the buyer's browser must post (its action and fields).
    Form(AutoPostForm),
}

impl<T: fmt::Debug> fmt::Debug for Answer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Data(t) => f.debug_tuple("Data").field(t).finish(),
            Answer::Redirect { status, location } => f
                .debug_struct("Redirect")
                .field("status", status)
                .field("location", &redact_text(location))
                .finish(),
            Answer::Html(page) => f.debug_tuple("Html").field(&excerpt_text(page)).finish(),
            Answer::Text(text) => f.debug_tuple("Text").field(&excerpt_text(text)).finish(),
            Answer::Form(form) => f.debug_tuple("Form").field(form).finish(),
        }
    }
}

/// A form to post: where, how, and the fields in document order. Debug output shows the field
/// names only (values such as 3-D Secure payloads are opaque and may identify the buyer).
#[derive(Clone, PartialEq, Eq)]
pub struct AutoPostForm {
    /// The `action` URL (as written; empty means the page's own URL).
    pub action: String,
    /// The method, upper case (`POST`; HTML's default is `GET`).
    pub method: String,
    /// `(name, value)` of every named `<input>`, entities decoded.
    pub fields: Vec<(String, String)>,
}

impl AutoPostForm {
    /// The first field with this name.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for AutoPostForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.fields.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("AutoPostForm")
            .field("action", &redact_text(&self.action))
            .field("method", &self.method)
            .field("fields", &names)
            .finish()
    }
}

/// The kind of body an answer carries, by `Content-Type` (sniffed when there is none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContentKind {
    Empty,
    Json,
    Html,
    Text,
    Other,
}

impl ContentKind {
    pub(crate) fn of(raw: &RawResponse) -> ContentKind {
        if raw.body.iter().all(u8::is_ascii_whitespace) {
            return ContentKind::Empty;
        }
        // compared without regard to case, without a lower-cased copy
        let declared = raw
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        // A JSON object or array mislabelled as text (common) still counts as JSON.
        let json_container = raw
            .json
            .as_ref()
            .is_some_and(|v| v.is_object() || v.is_array());
        match declared {
            Some(t) if contains_ignore_case(t, "json") => ContentKind::Json,
            Some(t)
                if starts_with_ignore_case(t, "text/html") || contains_ignore_case(t, "xhtml") =>
            {
                ContentKind::Html
            }
            _ if json_container => ContentKind::Json,
            Some(t) if starts_with_ignore_case(t, "text/") => ContentKind::Text,
            _ if raw.json.is_some() => ContentKind::Json,
            Some(_) => ContentKind::Other,
            None => {
                let start = raw.body.iter().find(|b| !b.is_ascii_whitespace());
                if start == Some(&b'<') {
                    ContentKind::Html
                } else {
                    ContentKind::Text
                }
            }
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            ContentKind::Empty => "empty",
            ContentKind::Json => "JSON",
            ContentKind::Html => "an HTML page",
            ContentKind::Text => "plain text",
            ContentKind::Other => "of an undeclared content type",
        }
    }
}

/// Whether `text` starts with the lower-case ASCII `prefix`, ignoring ASCII case.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Whether `text` contains the lower-case ASCII `needle`, ignoring ASCII case.
fn contains_ignore_case(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn body_text(raw: &RawResponse) -> String {
    String::from_utf8_lossy(&raw.body).into_owned()
}

fn location(raw: &RawResponse) -> Option<String> {
    raw.headers
        .get(http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Decodes an answer of an operation with declared non-JSON answers: a redirect, a form, an
/// HTML or text page, or the JSON decoded by `json`. Anything undeclared is
/// [`Error::Undecodable`] (the engine turns it into an unknown outcome for money-moving
/// operations).
pub fn decode_answer<T>(
    op: &OperationMeta,
    raw: &RawResponse,
    json: impl FnOnce(&RawResponse) -> Result<T, Error>,
) -> Result<Answer<T>, Error> {
    let a = op.answers;
    if (300..400).contains(&raw.status) && a.redirect {
        if let Some(location) = location(raw) {
            return Ok(Answer::Redirect {
                status: raw.status,
                location,
            });
        }
    }
    let kind = ContentKind::of(raw);
    match kind {
        ContentKind::Json | ContentKind::Empty if a.json => json(raw).map(Answer::Data),
        ContentKind::Html if a.form || a.html => {
            let page = body_text(raw);
            match auto_post_form(&page).filter(|_| a.form) {
                Some(form) => Ok(Answer::Form(form)),
                None if a.html => Ok(Answer::Html(page)),
                None => Err(undeclared(op, raw, "an HTML page without a form")),
            }
        }
        ContentKind::Text if a.text => Ok(Answer::Text(body_text(raw))),
        _ => Err(undeclared(op, raw, kind.describe())),
    }
}

fn undeclared(op: &OperationMeta, raw: &RawResponse, what: &str) -> Error {
    Error::Undecodable {
        operation: op.name,
        reason: format!(
            "the answer (HTTP {}) is {what}, which the operation does not declare",
            raw.status
        ),
        body_excerpt: crate::redact::excerpt(&raw.body),
    }
}

fn attr(tag: &html5gum::StartTag<()>, name: &str) -> Option<String> {
    tag.attributes
        .get(name.as_bytes())
        .map(|v| String::from_utf8_lossy(v).into_owned())
}

/// Elements whose content is not markup for our purpose.
const OPAQUE: [&[u8]; 4] = [b"script", b"style", b"template", b"textarea"];

/// The first `<form>` of an HTML page with its action, method and named `<input>` fields.
pub fn auto_post_form(page: &str) -> Option<AutoPostForm> {
    let mut form: Option<AutoPostForm> = None;
    let mut opaque: Option<Vec<u8>> = None;
    for token in Tokenizer::new(page).flatten() {
        match token {
            Token::EndTag(end) if opaque.as_deref() == Some(end.name.as_slice()) => opaque = None,
            _ if opaque.is_some() => {}
            Token::StartTag(tag) if OPAQUE.contains(&tag.name.as_slice()) => {
                opaque = Some(tag.name.to_vec());
            }
            Token::StartTag(tag) if tag.name.as_slice() == b"form" && form.is_none() => {
                form = Some(AutoPostForm {
                    action: attr(&tag, "action").unwrap_or_default(),
                    method: attr(&tag, "method")
                        .map(|m| m.trim().to_ascii_uppercase())
                        .filter(|m| !m.is_empty())
                        .unwrap_or_else(|| "GET".into()),
                    fields: Vec::new(),
                });
            }
            Token::StartTag(tag) if tag.name.as_slice() == b"input" => {
                let Some(f) = form.as_mut() else { continue };
                if let Some(name) = attr(&tag, "name").filter(|n| !n.is_empty()) {
                    f.fields
                        .push((name, attr(&tag, "value").unwrap_or_default()));
                }
            }
            Token::EndTag(end) if end.name.as_slice() == b"form" && form.is_some() => break,
            _ => {}
        }
    }
    form
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_auto_post_form_with_entities_quotes_and_script() {
        let page = r#"<!DOCTYPE html><html><body onload="document.forms[0].submit()">
            <script>var s = "<input name='fake' value='x'>";</script>
            <FORM Method=post action="https://acs.example/challenge?a=1&amp;b=2">
              <input type="hidden" name="PaReq" value="eJx&#x2B;abc==">
              <input type=hidden name='MD' value='tx-42'/>
              <input type="hidden" name="TermUrl" value="https://shop.example/3ds?x=&quot;y&quot;">
              <input type="submit" value="Continue">
              <textarea name="notes"><input name="inside" value="no"></textarea>
            </FORM>
            <form action="/second"><input name="later" value="no"></form>"#;
        let form = auto_post_form(page).expect("form");
        assert_eq!(form.action, "https://acs.example/challenge?a=1&b=2");
        assert_eq!(form.method, "POST");
        assert_eq!(
            form.fields,
            vec![
                ("PaReq".to_string(), "eJx+abc==".to_string()),
                ("MD".to_string(), "tx-42".to_string()),
                (
                    "TermUrl".to_string(),
                    "https://shop.example/3ds?x=\"y\"".to_string()
                ),
            ]
        );
        assert_eq!(form.field("MD"), Some("tx-42"));
        let shown = format!("{form:?}");
        assert!(shown.contains("PaReq") && !shown.contains("eJx") && !shown.contains("tx-42"));
    }

    fn raw(content_type: Option<&str>, body: &str) -> RawResponse {
        let mut headers = http::HeaderMap::new();
        if let Some(t) = content_type {
            headers.insert(http::header::CONTENT_TYPE, t.parse().expect("header"));
        }
        RawResponse {
            status: 200,
            headers,
            body: body.as_bytes().to_vec().into(),
            json: crate::wire_parse::AnswerJson::parse(&bytes::Bytes::copy_from_slice(
                body.as_bytes(),
            )),
        }
    }

    #[test]
    fn content_kind_by_type_then_by_sniffing() {
        let kind = |t, b| ContentKind::of(&raw(t, b));
        assert_eq!(kind(Some("application/json"), "{}"), ContentKind::Json);
        assert_eq!(
            kind(Some("application/problem+json"), "{"),
            ContentKind::Json
        );
        assert_eq!(kind(Some("text/plain"), r#"{"a":1}"#), ContentKind::Json);
        assert_eq!(kind(Some("text/plain"), "123"), ContentKind::Text);
        assert_eq!(
            kind(Some("text/html; charset=utf-8"), "{}"),
            ContentKind::Html
        );
        assert_eq!(kind(Some("application/pdf"), "%PDF"), ContentKind::Other);
        assert_eq!(kind(None, "  <html>"), ContentKind::Html);
        assert_eq!(kind(None, "OK"), ContentKind::Text);
        assert_eq!(kind(None, " \n"), ContentKind::Empty);
        assert_eq!(kind(Some("Application/JSON"), "[]"), ContentKind::Json);
        assert_eq!(kind(Some("TEXT/HTML"), "<p>"), ContentKind::Html);
        assert_eq!(
            kind(Some("Application/XHTML+xml"), "<p>"),
            ContentKind::Html
        );
        assert_eq!(kind(Some("Text/Plain"), "hello"), ContentKind::Text);
    }

    #[test]
    fn no_form_and_broken_markup_are_handled() {
        assert_eq!(auto_post_form("<html><p>Thank you</p></html>"), None);
        let broken = auto_post_form("<form action='/x'><input name=a value=1");
        assert_eq!(broken.map(|f| f.action), Some("/x".to_string()));
        let default_method = auto_post_form("<form><input name=a></form>").expect("form");
        assert_eq!(default_method.method, "GET");
        assert_eq!(default_method.fields, vec![("a".into(), String::new())]);
    }
}
