//! The request-tree value of a plain field value (strings, integers, booleans, decimals,
//! sensitive strings, provider scalars, lists and maps of them), borrowed from the request: what
//! generated encoding calls for every field that is not an object or an amount.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::money::{Decimal, MinorUnits};
use crate::wire::WireScalar;
use crate::wire_tree::{is_json_number, WireObject, WireValue};

/// A value with a request-tree form that borrows from it (the same JSON `serde` writes for it).
pub trait AsWire {
    /// The value as a request-tree value.
    fn as_wire(&self) -> WireValue<'_>;
}

impl AsWire for str {
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        WireValue::text(self)
    }
}

impl AsWire for String {
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        WireValue::text(self)
    }
}

impl AsWire for i64 {
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        WireValue::Int(*self)
    }
}

impl AsWire for bool {
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        WireValue::Bool(*self)
    }
}

impl AsWire for MinorUnits {
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        WireValue::Int(self.0)
    }
}

impl AsWire for Decimal {
    /// A JSON number with the text as written (an exponent as `serde_json` normalises it,
    /// `1e5` -> `1e+5`); a text JSON does not accept as a number (a leading zero) is a
    /// string, as `serde` writes it.
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        let text = self.as_str();
        if !text.contains(['e', 'E']) && is_json_number(text) {
            return WireValue::Number(Cow::Borrowed(text));
        }
        match text.parse::<serde_json::Number>() {
            Ok(n) => WireValue::Number(Cow::Owned(n.to_string())),
            Err(_) => WireValue::text(text),
        }
    }
}

impl AsWire for WireScalar {
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        match self {
            WireScalar::Int(n) => WireValue::Int(*n),
            WireScalar::Str(s) => WireValue::text(s),
        }
    }
}

impl AsWire for Value {
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        WireValue::from_json(self)
    }
}

impl<T: AsWire> AsWire for Option<T> {
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        self.as_ref().map_or(WireValue::Null, AsWire::as_wire)
    }
}

impl<T: AsWire> AsWire for Vec<T> {
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        WireValue::List(self.iter().map(AsWire::as_wire).collect())
    }
}

impl<T: AsWire> AsWire for BTreeMap<String, T> {
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        let mut object = WireObject::with_capacity(self.len());
        for (k, v) in self {
            object.insert(k.as_str(), v.as_wire());
        }
        WireValue::Object(object)
    }
}

impl<T: AsWire + ?Sized> AsWire for &T {
    #[inline]
    fn as_wire(&self) -> WireValue<'_> {
        (**self).as_wire()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_write_the_json_serde_writes() {
        let decimals = [
            "40.10", "-0.5", "1e5", "2E-3", "1.5e+7", "007", "0", "10", "-0",
        ];
        for text in decimals {
            let Some(d) = Decimal::parse(text) else {
                continue;
            };
            let mut out = Vec::new();
            assert!(d.as_wire().write_json(&mut out).is_ok());
            let expected = serde_json::to_vec(&d).unwrap_or_default();
            assert_eq!(out, expected, "{text}");
        }
        let list = vec![
            Some(WireScalar::Int(3)),
            None,
            Some(WireScalar::Str("x".into())),
        ];
        let mut out = Vec::new();
        assert!(list.as_wire().write_json(&mut out).is_ok());
        assert_eq!(out, serde_json::to_vec(&list).unwrap_or_default());
        let map: BTreeMap<String, i64> = [("b".to_string(), 1), ("a".to_string(), 2)].into();
        let mut out = Vec::new();
        assert!(map.as_wire().write_json(&mut out).is_ok());
        assert_eq!(out, serde_json::to_vec(&map).unwrap_or_default());
    }

    #[test]
    fn json_numbers_are_recognised() {
        for ok in ["0", "-0", "12", "1.5", "-0.05", "1e5", "1E+5", "2.5e-3"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1.5.2", "0x10", "1 ",
        ] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
