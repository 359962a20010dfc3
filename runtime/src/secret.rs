//! Secret values (API keys, salts, tokens): held in `secrecy` boxes (memory wiped on drop by
//! `zeroize`), never shown by Debug or Display, compared in constant time through `subtle`.

use std::fmt;

use secrecy::{ExposeSecret, SecretString as Boxed};
use subtle::ConstantTimeEq;

/// A secret credential value. `Debug` and `Display` print `***`; read it with [`Secret::expose`].
/// The memory holding it is zeroed when it is dropped; `==` runs in constant time for a given
/// length.
#[derive(Clone)]
pub struct Secret(Boxed);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Boxed::from(value.into()))
    }

    /// The secret value itself. Call only where the value must be used (signing, auth headers).
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

/// Equality of two byte strings whose running time depends only on their lengths (`subtle`):
/// the one comparison for secret material and signatures.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    bool::from(a.ct_eq(b))
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.expose().as_bytes(), other.expose().as_bytes())
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("1234ABCD");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(s.expose(), "1234ABCD");
    }

    #[test]
    fn equality_compares_the_values() {
        let a = Secret::new("1234ABCD");
        assert_eq!(a, Secret::from("1234ABCD"));
        assert_eq!(a.clone(), a);
        assert_ne!(a, Secret::from("1234ABCE"));
        assert_ne!(a, Secret::from("1234ABC"));
        assert_ne!(a, Secret::from(""));
        assert_eq!(Secret::from(""), Secret::from(String::new()));
    }

    #[test]
    fn the_comparison_is_subtles_constant_time_one() {
        // The helper is `subtle`'s `ConstantTimeEq` on byte slices: same answers, byte by byte.
        let cases: [(&[u8], &[u8]); 5] = [
            (b"abc", b"abc"),
            (b"abc", b"abd"),
            (b"abc", b"ab"),
            (b"", b""),
            (b"\x00\xff", b"\x00\xff"),
        ];
        for (a, b) in cases {
            assert_eq!(
                constant_time_eq(a, b),
                bool::from(a.ct_eq(b)),
                "{a:?} {b:?}"
            );
            assert_eq!(constant_time_eq(a, b), a == b, "{a:?} {b:?}");
        }
    }

    #[test]
    fn the_value_is_held_in_a_zeroizing_box() {
        // `Secret` owns a `secrecy::SecretString`, which zeroizes its memory on drop.
        fn wipes_on_drop<T: zeroize::ZeroizeOnDrop>(_: &T) -> bool {
            true
        }
        let s = Secret::new("k");
        assert!(wipes_on_drop(&s.0));
    }
}
