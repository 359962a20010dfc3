//! A spec's regular expressions (`pattern` rules): compiled with the providers' meaning of the
//! Perl classes, and, for the common whole-value shape `^...$` made of literals and repeated
//! ASCII classes (`^\d{3,4}$`, `^[A-Z]{2}$`, `^994\d{9}$`), matched by a byte scan that accepts
//! exactly the values the regular expression accepts, without the regex engine's per-search
//! set-up and without compiling it.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

use crate::field_errors::ValidationErrors;

/// Compiles a spec's pattern with the providers' meaning of the Perl classes: `\d`, `\w`, `\s`
/// (and `\D`, `\W`, `\S`) are ASCII, as in the providers' own validators, so `^994\d{9}$`
/// refuses Arabic-Indic digits. `\p{..}` classes and literal characters stay Unicode. The one
/// compiler used by generated clients, the sandbox and `check`.
pub fn compile_pattern(source: &str) -> Result<Regex, String> {
    Regex::new(&ascii_classes(source)).map_err(|e| e.to_string())
}

/// Rewrites `\d \w \s \D \W \S` as explicit ASCII classes (nested classes work inside `[...]`);
/// escaped backslashes (`\\d`) are left alone.
fn ascii_classes(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('d') => out.push_str("[0-9]"),
            Some('D') => out.push_str("[^0-9]"),
            Some('w') => out.push_str("[0-9A-Za-z_]"),
            Some('W') => out.push_str("[^0-9A-Za-z_]"),
            Some('s') => out.push_str("[\\t\\n\\x0B\\x0C\\r ]"),
            Some('S') => out.push_str("[^\\t\\n\\x0B\\x0C\\r ]"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A set of bytes (256 bits).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    #[inline]
    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn overlaps(&self, other: &ByteSet) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }

    fn union(&self, other: &ByteSet) -> ByteSet {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0) {
            *a |= b;
        }
        out
    }
}

/// One piece of a whole-value pattern: a byte from `set`, `min..=max` times (`max` is
/// `u32::MAX` for no upper bound).
#[derive(Clone, Copy)]
struct Piece {
    set: ByteSet,
    min: u32,
    max: u32,
}

/// The most a fast-matched pattern may count in its bounded repetitions, all together (far
/// below the regex compiler's size limit, so a pattern matched this way is one the regex engine
/// compiles too).
const MAX_COUNTED: u64 = 1024;

/// A whole-value pattern (`^` pieces `$`) whose greedy scan is its only possible match: every
/// piece of variable length is followed by bytes its set does not contain.
#[derive(Clone)]
struct Anchored {
    pieces: Vec<Piece>,
}

impl Anchored {
    /// The fast form of `hir`, if it has the shape (`None`: the regex engine matches it).
    fn from_hir(hir: &Hir) -> Option<Anchored> {
        let HirKind::Concat(items) = hir.kind() else {
            return None;
        };
        let (first, rest) = items.split_first()?;
        let (last, middle) = rest.split_last()?;
        if first.kind() != &HirKind::Look(Look::Start) || last.kind() != &HirKind::Look(Look::End) {
            return None;
        }
        let mut pieces = Vec::with_capacity(middle.len());
        for item in middle {
            push_pieces(item, &mut pieces)?;
        }
        let counted: u64 = pieces
            .iter()
            .map(|p| u64::from(if p.max == u32::MAX { p.min } else { p.max }))
            .sum();
        (counted <= MAX_COUNTED && greedy_is_exact(&pieces)).then_some(Anchored { pieces })
    }

    /// Whether the whole of `value` matches.
    #[inline]
    fn is_match(&self, value: &str) -> bool {
        let bytes = value.as_bytes();
        let mut at = 0;
        for piece in &self.pieces {
            let room = bytes.len() - at;
            let max = usize::try_from(piece.max).unwrap_or(usize::MAX).min(room);
            let taken = bytes[at..at + max]
                .iter()
                .position(|&b| !piece.set.contains(b))
                .unwrap_or(max);
            if taken < usize::try_from(piece.min).unwrap_or(usize::MAX) {
                return false;
            }
            at += taken;
        }
        at == bytes.len()
    }
}

/// The pieces of one item of the concatenation (`None`: not a literal, an ASCII class or a
/// bounded repetition of one of them).
fn push_pieces(item: &Hir, pieces: &mut Vec<Piece>) -> Option<()> {
    match item.kind() {
        HirKind::Literal(lit) => {
            for &b in lit.0.iter() {
                let mut set = ByteSet::default();
                set.insert(b);
                pieces.push(Piece {
                    set,
                    min: 1,
                    max: 1,
                });
            }
        }
        HirKind::Class(class) => pieces.push(Piece {
            set: ascii_set(class)?,
            min: 1,
            max: 1,
        }),
        HirKind::Repetition(rep) if rep.max != Some(u32::MAX) => {
            let set = match rep.sub.kind() {
                HirKind::Class(class) => ascii_set(class)?,
                HirKind::Literal(lit) if lit.0.len() == 1 && lit.0[0].is_ascii() => {
                    let mut set = ByteSet::default();
                    set.insert(lit.0[0]);
                    set
                }
                _ => return None,
            };
            pieces.push(Piece {
                set,
                min: rep.min,
                max: rep.max.unwrap_or(u32::MAX),
            });
        }
        _ => return None,
    }
    Some(())
}

/// The bytes of a class made only of ASCII characters (one byte each).
fn ascii_set(class: &Class) -> Option<ByteSet> {
    let mut set = ByteSet::default();
    let mut add = |start: u32, end: u32| -> Option<()> {
        if end >= 0x80 {
            return None;
        }
        for b in start..=end {
            set.insert(u8::try_from(b).ok()?);
        }
        Some(())
    };
    match class {
        Class::Unicode(c) => {
            for r in c.ranges() {
                add(u32::from(r.start()), u32::from(r.end()))?;
            }
        }
        Class::Bytes(c) => {
            for r in c.ranges() {
                add(u32::from(r.start()), u32::from(r.end()))?;
            }
        }
    }
    Some(set)
}

/// Whether taking as many bytes as possible for each piece is the only way the value can
/// match: no piece of variable length can give a byte to what follows it (the sets of the
/// pieces up to the first one that must take a byte).
fn greedy_is_exact(pieces: &[Piece]) -> bool {
    pieces.iter().enumerate().all(|(i, piece)| {
        if piece.min == piece.max {
            return true;
        }
        let mut follow = ByteSet::default();
        for next in &pieces[i + 1..] {
            follow = follow.union(&next.set);
            if next.min > 0 {
                break;
            }
        }
        !piece.set.overlaps(&follow)
    })
}

/// How a pattern matches: the byte scan, or the compiled regular expression.
enum Matcher {
    Anchored(Anchored),
    Regex(Regex),
}

impl Matcher {
    fn new(source: &str) -> Result<Matcher, String> {
        let rewritten = ascii_classes(source);
        if let Some(fast) = regex_syntax::parse(&rewritten)
            .ok()
            .as_ref()
            .and_then(Anchored::from_hir)
        {
            return Ok(Matcher::Anchored(fast));
        }
        Regex::new(&rewritten)
            .map(Matcher::Regex)
            .map_err(|e| e.to_string())
    }

    #[inline]
    fn is_match(&self, value: &str) -> bool {
        match self {
            Matcher::Anchored(fast) => fast.is_match(value),
            Matcher::Regex(re) => re.is_match(value),
        }
    }
}

/// A regular expression from a spec, compiled on first use. A regex that does not compile is
/// reported as a `pattern` [`crate::FieldError`], never a panic. Matching is a search (unanchored),
/// as in JSON Schema: write `^...$` to match the whole value.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<Matcher, String>>,
}

impl Pattern {
    /// A pattern; nothing is compiled yet.
    pub const fn new(re: &'static str) -> Pattern {
        Pattern {
            source: re,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern's text.
    pub fn as_str(&self) -> &'static str {
        self.source
    }

    fn matcher(&self) -> &Result<Matcher, String> {
        self.compiled.get_or_init(|| Matcher::new(self.source))
    }

    /// Whether `value` matches (false when the pattern does not compile).
    pub fn is_match(&self, value: &str) -> bool {
        matches!(self.matcher(), Ok(m) if m.is_match(value))
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.source)
    }
}

/// Rule `pattern`.
pub fn check_pattern(errs: &mut ValidationErrors, path: &str, value: &str, pattern: &Pattern) {
    match pattern.matcher() {
        Ok(m) if m.is_match(value) => {}
        Ok(_) => pattern_mismatch(errs, path, pattern.source),
        Err(e) => pattern_broken(errs, path, pattern.source, e),
    }
}

/// Rule `pattern` with an expression compiled by the caller (a simulator caching a spec's
/// patterns at run time); `source` is the pattern's text for the message.
pub fn check_compiled_pattern(
    errs: &mut ValidationErrors,
    path: &str,
    value: &str,
    source: &str,
    compiled: &Result<Regex, String>,
) {
    match compiled {
        Ok(re) if re.is_match(value) => {}
        Ok(_) => pattern_mismatch(errs, path, source),
        Err(e) => pattern_broken(errs, path, source, e),
    }
}

#[cold]
fn pattern_mismatch(errs: &mut ValidationErrors, path: &str, source: &str) {
    errs.push(
        path,
        "pattern",
        format!("must match the pattern `{source}`"),
    );
}

#[cold]
fn pattern_broken(errs: &mut ValidationErrors, path: &str, source: &str, e: &str) {
    errs.push(
        path,
        "pattern",
        format!("the spec's pattern `{source}` is not a valid regular expression: {e}"),
    );
}

#[cfg(test)]
mod tests;
