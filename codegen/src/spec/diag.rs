//! Diagnostics: one located problem of a spec (`file:line:col: error[CODE]: message`), and its
//! renderings: one line, cargo-style with the source line and a caret, or one JSON object.

use std::fmt;
use std::path::PathBuf;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Longest message, hint or path shown; longer text is cut (a spec value may be megabytes).
pub const MAX_SHOWN_CHARS: usize = 300;

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file.
    pub file: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub col: usize,
    /// Stable code, e.g. `E0102`; a `W` code is a warning (reported, never fails `check`).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Dotted spec path, e.g. `operations.refund.request`.
    pub path: String,
    /// How to fix it, where a hint helps.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.file.display(),
            self.line,
            self.col,
            self.severity(),
            self.code,
            cut(&self.message, MAX_SHOWN_CHARS)
        )?;
        if !self.path.is_empty() {
            write!(f, "\n  at: {}", cut(&self.path, MAX_SHOWN_CHARS))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", cut(hint, MAX_SHOWN_CHARS))?;
        }
        Ok(())
    }
}

impl Diagnostic {
    /// A warning (a `W` code): worth fixing, yet the spec is usable.
    pub fn is_warning(&self) -> bool {
        self.code.starts_with('W')
    }

    /// `warning` or `error`.
    pub fn severity(&self) -> &'static str {
        if self.is_warning() {
            "warning"
        } else {
            "error"
        }
    }

    /// One JSON object for editors and CI: code, severity, message, file, line, column, path,
    /// hint.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "code": self.code,
            "severity": self.severity(),
            "message": cut(&self.message, MAX_SHOWN_CHARS),
            "file": self.file.display().to_string(),
            "line": self.line,
            "column": self.col,
            "path": cut(&self.path, MAX_SHOWN_CHARS),
            "hint": self.hint.as_deref().map(|h| cut(h, MAX_SHOWN_CHARS)),
        })
    }

    /// Cargo-style rendering: header, `--> file:line:col`, the source line with a caret under
    /// the problem, the spec path and the hint. Colour only when `color` is set.
    pub fn render_snippet(&self, source: Option<&str>, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let file = self.file.display().to_string();
        let message = cut(&self.message, MAX_SHOWN_CHARS);
        let level = if self.is_warning() {
            Level::WARNING
        } else {
            Level::ERROR
        };
        let title = level.primary_title(message.as_str()).id(self.code);
        let line = source.and_then(|s| s.lines().nth(self.line.checked_sub(1)?));
        let mut group = match line {
            Some(text) if self.col > 0 => {
                let text = text.trim_end_matches('\r');
                Group::with_title(title).element(
                    Snippet::source(text)
                        .line_start(self.line)
                        .path(file.as_str())
                        .annotation(AnnotationKind::Primary.span(token(text, self.col))),
                )
            }
            _ => Group::with_title(title)
                .element(Level::NOTE.message(format!("{file}:{}:{}", self.line, self.col))),
        };
        if !self.path.is_empty() {
            group = group
                .element(Level::NOTE.message(format!("at: {}", cut(&self.path, MAX_SHOWN_CHARS))));
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(cut(hint, MAX_SHOWN_CHARS)));
        }
        renderer.render(&[group])
    }
}

/// The byte range of the token starting at a 1-based character column (at most 60 characters,
/// up to a YAML separator), or one character; an empty range past the end of the line.
fn token(line: &str, col: usize) -> std::ops::Range<usize> {
    let Some((start, _)) = line.char_indices().nth(col - 1) else {
        return line.len()..line.len();
    };
    let end = line[start..]
        .char_indices()
        .take(60)
        .find(|(i, c)| *i > 0 && matches!(c, ' ' | ',' | ':' | ']' | '}' | '#'))
        .map_or_else(
            || {
                line[start..]
                    .char_indices()
                    .nth(60)
                    .map_or(line.len(), |(i, _)| start + i)
            },
            |(i, _)| start + i,
        );
    start..end.max(start + 1).min(line.len())
}

/// Text cut to at most `max` characters, with `…` and the cut length when cut.
pub fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((i, _)) => format!(
            "{}… ({} more characters)",
            &text[..i],
            text[i..].chars().count()
        ),
    }
}

/// Renders diagnostics one after another, each ending with a newline.
pub fn render(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out
}

/// Renders diagnostics cargo-style with snippets from `source`, separated by blank lines.
pub fn render_snippets(diags: &[Diagnostic], source: Option<&str>, color: bool) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.render_snippet(source, color));
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(line: usize, col: usize, message: &str) -> Diagnostic {
        Diagnostic {
            file: PathBuf::from("spec.yaml"),
            line,
            col,
            code: "E0002",
            message: message.into(),
            path: "operations.pay".into(),
            hint: Some("check the spelling".into()),
        }
    }

    #[test]
    fn snippet_shows_the_line_and_a_caret_under_the_token() {
        let text = "operations:\n  pay:\n    methd: POST\n";
        let out = diag(3, 5, "unknown field `methd`").render_snippet(Some(text), false);
        assert!(out.contains("error[E0002]: unknown field `methd`"), "{out}");
        assert!(out.contains("--> spec.yaml:3:5"), "{out}");
        assert!(out.contains("3 |     methd: POST"), "{out}");
        assert!(out.contains("|     ^^^^^"), "{out}");
        assert!(out.contains("at: operations.pay") && out.contains("check the spelling"));
    }

    #[test]
    fn long_values_are_cut_everywhere() {
        let huge = "x".repeat(1_000_000);
        let text = format!("a: {huge}\n");
        let d = diag(1, 4, &format!("unknown type `{huge}`"));
        for out in [
            d.render_snippet(Some(&text), false),
            d.to_string(),
            d.to_json().to_string(),
        ] {
            assert!(out.len() < 2_000, "{} bytes", out.len());
        }
    }

    #[test]
    fn json_has_every_field() {
        let json = diag(3, 5, "unknown field `methd`").to_json();
        assert_eq!(json["code"], "E0002");
        assert_eq!(json["line"], 3);
        assert_eq!(json["column"], 5);
        assert_eq!(json["file"], "spec.yaml");
        assert_eq!(json["path"], "operations.pay");
        assert_eq!(json["hint"], "check the spelling");
        assert_eq!(json["severity"], "error");
    }

    #[test]
    fn a_w_code_renders_as_a_warning() {
        let mut d = diag(3, 5, "signs a header");
        d.code = "W0101";
        assert!(d.is_warning());
        assert!(d.to_string().contains("warning[W0101]"), "{d}");
        let out = d.render_snippet(Some("a:\nb:\n    methd: POST\n"), false);
        assert!(out.starts_with("warning[W0101]"), "{out}");
        assert_eq!(d.to_json()["severity"], "warning");
    }
}
