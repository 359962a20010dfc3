//! Sensitive field values (card numbers, CVVs, passwords, secrets, personal data): sent and read
//! as plain strings on the wire, but masked in `Debug` and `Display`, held in `secrecy` boxes
//! (memory wiped on drop) and compared in constant time.

use std::fmt;

use secrecy::{ExposeSecret, SecretString as Boxed};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::secret::constant_time_eq;

/// Declares one sensitive string type with its masking rule.
macro_rules! sensitive_string {
    ($(#[$doc:meta])* $name:ident, $mask:path) => {
        $(#[$doc])*
        ///
        /// Zeroed in memory when dropped; `==` runs in constant time for a given length.
        #[derive(Clone, Default)]
        pub struct $name(Boxed);

        impl $name {
            /// Wraps a value.
            pub fn new(value: impl Into<String>) -> Self {
                $name(Boxed::from(value.into()))
            }

            /// The value itself. Call only where it must be used (the wire).
            pub fn expose(&self) -> &str {
                self.0.expose_secret()
            }

            /// The masked form shown by `Debug` and `Display`.
            pub fn masked(&self) -> String {
                $mask(self.expose())
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                constant_time_eq(self.expose().as_bytes(), other.expose().as_bytes())
            }
        }

        impl Eq for $name {}

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.masked())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.masked())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name::new(value)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name::new(value)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.expose())
            }
        }

        impl crate::as_wire::AsWire for $name {
            fn as_wire(&self) -> crate::wire_tree::WireValue<'_> {
                crate::wire_tree::WireValue::text(self.expose())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map($name::new)
            }
        }

        #[cfg(feature = "json-schema")]
        impl schemars::JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                String::json_schema(generator)
            }
        }
    };
}

/// First 6 and last 4 characters kept (spaces and dashes dropped), the rest `*`; 10 characters
/// or fewer: all `*` (first 6 + last 4 would show everything).
pub fn mask_card_number(value: &str) -> String {
    let chars: Vec<char> = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let n = chars.len();
    if n <= 10 {
        return "*".repeat(n.max(1));
    }
    let mut out: String = chars[..6].iter().collect();
    out.push_str(&"*".repeat(n - 10));
    out.extend(&chars[n - 4..]);
    out
}

/// Always `***`.
pub fn mask_all(_: &str) -> String {
    "***".to_string()
}

/// First character, then `***`.
pub fn mask_pii(value: &str) -> String {
    match value.chars().next() {
        Some(c) => format!("{c}***"),
        None => "***".to_string(),
    }
}

sensitive_string!(
    /// A primary account number. Shown as `411111******1111`.
    CardNumber,
    mask_card_number
);
sensitive_string!(
    /// A card verification value. Shown as `***`.
    Cvv,
    mask_all
);
sensitive_string!(
    /// A password. Shown as `***`.
    Password,
    mask_all
);
sensitive_string!(
    /// Any other secret string field (tokens, keys in bodies). Shown as `***`.
    SecretString,
    mask_all
);
sensitive_string!(
    /// Personal data (names, e-mail, phone). Shown as its first character and `***`.
    Pii,
    mask_pii
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_number_is_masked_in_debug_and_display() {
        let c = CardNumber::new("4111111111111111");
        assert_eq!(format!("{c}"), "411111******1111");
        assert_eq!(format!("{c:?}"), "CardNumber(411111******1111)");
        assert_eq!(c.expose(), "4111111111111111");
        assert_eq!(
            CardNumber::from("378282246310005").to_string(),
            "378282*****0005"
        );
        assert_eq!(
            CardNumber::from("4111 1111 1111 1111").to_string(),
            "411111******1111"
        );
        assert_eq!(CardNumber::from("123456789").to_string(), "*********");
        assert_eq!(CardNumber::from("").to_string(), "*");
        assert_eq!(CardNumber::from("1234567890").to_string(), "**********");
        assert_eq!(CardNumber::from("12345678901").to_string(), "123456*8901");
    }

    #[test]
    fn others_are_masked_in_debug_and_display() {
        let cvv = Cvv::from("123");
        let pw = Password::from(String::from("hunter2"));
        let s = SecretString::new("tok_live_abc");
        let p = Pii::new("Jane Doe");
        assert_eq!(
            (cvv.to_string(), format!("{cvv:?}")),
            ("***".into(), "Cvv(***)".into())
        );
        assert_eq!(
            (pw.to_string(), format!("{pw:?}")),
            ("***".into(), "Password(***)".into())
        );
        assert_eq!(
            (s.to_string(), format!("{s:?}")),
            ("***".into(), "SecretString(***)".into())
        );
        assert_eq!(
            (p.to_string(), format!("{p:?}")),
            ("J***".into(), "Pii(J***)".into())
        );
        assert_eq!(Pii::new("").to_string(), "***");
        assert_eq!(
            (cvv.expose(), pw.expose(), s.expose(), p.expose()),
            ("123", "hunter2", "tok_live_abc", "Jane Doe")
        );
    }

    #[test]
    fn equality_compares_the_values() {
        let c = CardNumber::new("4111111111111111");
        assert_eq!(c, CardNumber::from("4111111111111111"));
        assert_eq!(c.clone(), c);
        assert_ne!(c, CardNumber::from("4111111111111112"));
        assert_ne!(Cvv::from("123"), Cvv::from("1234"));
        assert_eq!(Cvv::default(), Cvv::from(""));
        assert_eq!(Pii::from(String::from("Jane")), Pii::new("Jane"));
    }

    #[test]
    fn the_wire_sees_plain_strings() -> Result<(), serde_json::Error> {
        #[derive(Serialize, Deserialize, Debug)]
        struct Card {
            number: CardNumber,
            cvv: Cvv,
        }
        let card: Card = serde_json::from_str(r#"{"number":"4111111111111111","cvv":"123"}"#)?;
        assert_eq!(
            serde_json::to_string(&card)?,
            r#"{"number":"4111111111111111","cvv":"123"}"#
        );
        let shown = format!("{card:?}");
        assert!(
            !shown.contains("4111111111111111") && !shown.contains("123\""),
            "{shown}"
        );
        Ok(())
    }
}
