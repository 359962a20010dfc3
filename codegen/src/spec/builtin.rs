//! The builtin field types of the spec language: their names are matched here and nowhere else.

/// A builtin field type (`type: string`, `type: money`, ...); any other name refers to a type
/// declared under `types:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `boolean`.
    Boolean,
    /// `decimal`.
    Decimal,
    /// `money` (with a `money:` section saying its currency and wire form).
    Money,
    /// `list` (of `items`).
    List,
    /// `map` with string keys (of `items`).
    Map,
    /// `json`: any JSON value.
    Json,
}

impl Builtin {
    /// Every builtin, in the order the spec documentation lists them.
    pub const ALL: [Builtin; 8] = [
        Builtin::String,
        Builtin::Integer,
        Builtin::Boolean,
        Builtin::Decimal,
        Builtin::Money,
        Builtin::List,
        Builtin::Map,
        Builtin::Json,
    ];

    /// The builtin a type name denotes (`None` for a declared type's name).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The name a spec writes.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::String => "string",
            Builtin::Integer => "integer",
            Builtin::Boolean => "boolean",
            Builtin::Decimal => "decimal",
            Builtin::Money => "money",
            Builtin::List => "list",
            Builtin::Map => "map",
            Builtin::Json => "json",
        }
    }

    /// Whether a scalar newtype may have it as its base (`string`, `integer`, `boolean`,
    /// `decimal`); these are also the builtins a value used as a key may have.
    pub fn is_scalar_base(self) -> bool {
        matches!(
            self,
            Builtin::String | Builtin::Integer | Builtin::Boolean | Builtin::Decimal
        )
    }

    /// Whether values are text (the builtin text rules such as `pattern` apply).
    pub fn is_text(self) -> bool {
        self == Builtin::String
    }

    /// Names of the builtins satisfying `keep`, comma-separated, for diagnostics.
    pub fn names(keep: impl Fn(Builtin) -> bool) -> String {
        Self::ALL
            .into_iter()
            .filter(|b| keep(*b))
            .map(Builtin::name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_and_others_are_declared_types() {
        for b in Builtin::ALL {
            assert_eq!(Builtin::parse(b.name()), Some(b));
        }
        assert_eq!(Builtin::parse("Phone994"), None);
        assert_eq!(Builtin::parse("String"), None);
        assert_eq!(
            Builtin::names(Builtin::is_scalar_base),
            "string, integer, boolean, decimal"
        );
    }
}
