//! Fields: their Rust types, their validation statements and their wire-encoding statements.

use proc_macro2::TokenStream;
use quote::quote;

use super::moved::moved;
use super::scope::Scope;
use crate::ir::{
    Field, Format, MoneyCurrency, MoneyWire, Provider, Rules, Scalar, Sensitivity, Source, TypeId,
    TypeKind, TypeRef,
};
use crate::naming::ident;

/// What a named type is, for deciding how a field of that type validates and encodes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    /// Object, one-of or scalar newtype: implements `rt::ToWire`.
    Structured,
    /// Open enum: plain serde.
    Enum,
}

/// The kind of a named type.
pub fn named_kind(p: &Provider, id: TypeId) -> NamedKind {
    match p.ty(id).kind {
        TypeKind::Enum { .. } => NamedKind::Enum,
        _ => NamedKind::Structured,
    }
}

/// Whether the field is an `Option` in Rust (strict = the type is used in requests).
pub fn is_optional(f: &Field, strict: bool) -> bool {
    !(strict && f.required)
}

/// The Rust type of a type reference.
pub fn base_type(p: &Provider, ty: &TypeRef, strict: bool) -> TokenStream {
    match ty {
        TypeRef::Scalar(s) => scalar_type(*s),
        TypeRef::Sensitive(k) => sensitive_type(*k),
        TypeRef::Money { wire, .. } if strict || *wire == MoneyWire::IntegerMinor => {
            quote! { rt::MinorUnits }
        }
        TypeRef::Money { .. } => quote! { rt::Decimal },
        TypeRef::Named(id) => {
            let name = ident(&p.ty(*id).rust);
            quote! { #name }
        }
        TypeRef::List(inner) => {
            let t = moved(base_type(p, inner, strict));
            quote! { Vec<#t> }
        }
        TypeRef::Map(inner) => {
            let t = moved(base_type(p, inner, strict));
            quote! { ::std::collections::BTreeMap<String, #t> }
        }
    }
}

/// The Rust type of a builtin scalar.
pub fn scalar_type(s: Scalar) -> TokenStream {
    match s {
        Scalar::String => quote! { String },
        Scalar::Integer => quote! { i64 },
        Scalar::Boolean => quote! { bool },
        Scalar::Decimal => quote! { rt::Decimal },
        Scalar::Json => quote! { rt::serde_json::Value },
    }
}

/// The masking type of a sensitive string.
pub fn sensitive_type(k: Sensitivity) -> TokenStream {
    match k {
        Sensitivity::Pan => quote! { rt::CardNumber },
        Sensitivity::Cvv => quote! { rt::Cvv },
        Sensitivity::Password => quote! { rt::Password },
        Sensitivity::Secret => quote! { rt::SecretString },
        Sensitivity::Pii => quote! { rt::Pii },
    }
}

/// [`scalar_type`] as text (for `#[serde(try_from = "...")]`).
pub fn scalar_type_text(s: Scalar) -> &'static str {
    match s {
        Scalar::String => "String",
        Scalar::Integer => "i64",
        Scalar::Boolean => "bool",
        Scalar::Decimal => "rt::Decimal",
        Scalar::Json => "rt::serde_json::Value",
    }
}

/// [`sensitive_type`] as text (for `#[serde(try_from = "...")]`).
pub fn sensitive_type_text(k: Sensitivity) -> &'static str {
    match k {
        Sensitivity::Pan => "rt::CardNumber",
        Sensitivity::Cvv => "rt::Cvv",
        Sensitivity::Password => "rt::Password",
        Sensitivity::Secret => "rt::SecretString",
        Sensitivity::Pii => "rt::Pii",
    }
}

/// True for types whose value is checked as text (strings and sensitive strings).
fn is_text(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Scalar(Scalar::String) | TypeRef::Sensitive(_))
}

/// Statements validating one field of `self` (empty when there is nothing to check).
pub fn validate_field(p: &Provider, f: &Field, s: &Scope) -> TokenStream {
    if f.source.is_some() {
        return TokenStream::new();
    }
    let checks = value_checks(p, &f.ty, &f.rules, s);
    let required = f.required && is_text(&f.ty);
    let presence_needed = required && !is_optional(f, true);
    if checks.is_empty() && !presence_needed {
        return TokenStream::new();
    }
    let checks = moved(checks);
    let name = ident(&f.rust);
    let wire = super::docs::string_literal(&f.wire);
    let (v, fp, path) = (s.value(), s.field_path(), s.path());
    if is_optional(f, true) {
        quote! {
            if let Some(#v) = &self.#name {
                let #fp = rt::field_path(#path, #wire);
                #checks
            }
        }
    } else {
        let presence = moved(if required {
            let text = moved(text_of(&f.ty, s));
            let errs = s.errs();
            quote! { rt::check_not_blank(#errs, &#fp, #text); }
        } else {
            quote! {}
        });
        quote! {
            {
                let #v = &self.#name;
                let #fp = rt::field_path(#path, #wire);
                #presence
                #checks
            }
        }
    }
}

/// Checks of the scope's value (a reference) at the scope's field path.
pub fn value_checks(p: &Provider, ty: &TypeRef, rules: &Rules, s: &Scope) -> TokenStream {
    let (v, fp) = (s.value(), s.field_path());
    match ty {
        TypeRef::Scalar(Scalar::String) | TypeRef::Sensitive(_) => {
            text_checks(rules, text_of(ty, s), s)
        }
        TypeRef::Scalar(Scalar::Integer) => range_check(rules, quote! { *#v }, s),
        TypeRef::Money { .. } => {
            let min = proc_macro2::Literal::i64_unsuffixed(rules.minimum.unwrap_or(0));
            let max = moved(range_check(
                &Rules {
                    minimum: None,
                    ..rules.clone()
                },
                quote! { #v.0 },
                s,
            ));
            let errs = s.errs();
            quote! { rt::check_money(#errs, &#fp, *#v, Some(#min)); #max }
        }
        TypeRef::Named(id) if named_kind(p, *id) == NamedKind::Structured => {
            let errs = s.errs();
            quote! { rt::within(#errs, &#fp, |#errs| rt::ToWire::validate(#v, "", #errs)); }
        }
        TypeRef::Named(_) => {
            let errs = s.errs();
            quote! { rt::check_known(#errs, &#fp, #v.is_known()); }
        }
        TypeRef::List(inner) => match inner.as_ref() {
            TypeRef::Named(id) if named_kind(p, *id) == NamedKind::Structured => {
                let errs = s.errs();
                quote! {
                    for (i, item) in #v.iter().enumerate() {
                        rt::within_item(#errs, &#fp, i, |#errs| rt::ToWire::validate(item, "", #errs));
                    }
                }
            }
            _ => TokenStream::new(),
        },
        _ => TokenStream::new(),
    }
}

fn range_check(rules: &Rules, value: TokenStream, s: &Scope) -> TokenStream {
    if rules.minimum.is_none() && rules.maximum.is_none() {
        return TokenStream::new();
    }
    let (value, min, max) = (
        moved(value),
        moved(opt_i64(rules.minimum)),
        moved(opt_i64(rules.maximum)),
    );
    let (errs, fp) = (s.errs(), s.field_path());
    quote! { rt::check_range(#errs, &#fp, #value, #min, #max); }
}

fn opt_i64(v: Option<i64>) -> TokenStream {
    match v.map(proc_macro2::Literal::i64_unsuffixed) {
        Some(n) => quote! { Some(#n) },
        None => quote! { None },
    }
}

fn opt_usize(v: Option<usize>) -> TokenStream {
    match v.map(proc_macro2::Literal::usize_unsuffixed) {
        Some(n) => quote! { Some(#n) },
        None => quote! { None },
    }
}

/// The wire text of the scope's value (a reference) as a `&str` expression: borrowed for strings
/// and sensitive strings (their wire form is the value itself), written out otherwise.
pub fn text_of(ty: &TypeRef, s: &Scope) -> TokenStream {
    let v = s.value();
    match ty {
        TypeRef::Scalar(Scalar::String) => quote! { #v.as_str() },
        TypeRef::Sensitive(_) => quote! { #v.expose() },
        _ => quote! { &rt::wire_text(#v) },
    }
}

/// Checks of a text value (`text`, a `&str` expression): pattern, length, allowed values,
/// format.
pub fn text_checks(rules: &Rules, text: TokenStream, s: &Scope) -> TokenStream {
    let applies = rules.pattern.is_some()
        || rules.min_length.is_some()
        || rules.max_length.is_some()
        || rules.allowed.as_ref().is_some_and(|a| !a.is_empty())
        || rules.format.is_some();
    if !applies {
        return TokenStream::new();
    }
    let mut out = Vec::new();
    let (t, errs, fp) = (s.text(), s.errs(), s.field_path());
    if let Some(pat) = &rules.pattern {
        out.push(quote! {
            static PATTERN: rt::Pattern = rt::Pattern::new(#pat);
            rt::check_pattern(#errs, &#fp, #t, &PATTERN);
        });
    }
    if rules.min_length.is_some() || rules.max_length.is_some() {
        let (min, max) = (
            moved(opt_usize(rules.min_length)),
            moved(opt_usize(rules.max_length)),
        );
        out.push(quote! { rt::check_length(#errs, &#fp, #t, #min, #max); });
    }
    if let Some(allowed) = rules.allowed.as_ref().filter(|a| !a.is_empty()) {
        out.push(quote! { rt::check_one_of(#errs, &#fp, #t, &[#(#allowed),*]); });
    }
    match rules.format {
        Some(Format::Currency) => {
            out.push(quote! { rt::check_currency(#errs, &#fp, #t, EXPONENTS); })
        }
        Some(fmt) => {
            let fmt = moved(format_expr(fmt));
            out.push(quote! { rt::check_format(#errs, &#fp, #t, #fmt); });
        }
        None => {}
    }
    let (text, out) = (moved(text), out.into_iter().map(moved));
    quote! {
        let #t = #text;
        #(#out)*
    }
}

fn format_expr(f: Format) -> TokenStream {
    match f {
        Format::Currency => quote! { rt::Format::Currency },
        Format::CountryAlpha2 => quote! { rt::Format::CountryAlpha2 },
        Format::Email => quote! { rt::Format::Email },
        Format::Date => quote! { rt::Format::Date },
        Format::DateTime => quote! { rt::Format::DateTime },
        Format::CardNumber => quote! { rt::Format::CardNumber },
        Format::Url => quote! { rt::Format::Url },
        Format::Ip => quote! { rt::Format::Ip },
    }
}

/// Statements inserting one field of `self` into the scope's wire object.
pub fn wire_field(p: &Provider, f: &Field, siblings: &[Field], s: &Scope) -> TokenStream {
    if f.local {
        return TokenStream::new();
    }
    // made once, interpolated twice
    let wire = super::docs::string_literal(&f.wire);
    match &f.source {
        Some(Source::Credential(c)) => {
            let (map, ctx, path, errs) = (s.map(), s.ctx(), s.path(), s.errs());
            return quote! {
                #map.push(#wire, #ctx.credential(#c, &rt::field_path(#path, #wire), #errs));
            };
        }
        Some(Source::Clock(fmt)) => {
            let (map, ctx) = (s.map(), s.ctx());
            return quote! { #map.push(#wire, #ctx.timestamp(#fmt)); };
        }
        Some(Source::Const(v)) => {
            let value = moved(const_value(v));
            let map = s.map();
            return quote! { #map.push(#wire, #value); };
        }
        None => {}
    }
    let name = ident(&f.rust);
    let value = moved(wire_value(p, &f.ty, siblings, s));
    let (v, fp, path, map) = (s.value(), s.field_path(), s.path(), s.map());
    if is_optional(f, true) {
        quote! {
            if let Some(#v) = &self.#name {
                let #fp = rt::field_path(#path, #wire);
                #map.push(#wire, #value);
            }
        }
    } else {
        quote! {
            {
                let #v = &self.#name;
                let #fp = rt::field_path(#path, #wire);
                #map.push(#wire, #value);
            }
        }
    }
}

/// A constant scalar as a `rt::WireValue` expression (validation allows only scalars).
pub(super) fn const_value(v: &serde_json::Value) -> TokenStream {
    match v {
        serde_json::Value::String(s) => quote! { rt::WireValue::text(#s) },
        serde_json::Value::Bool(b) => quote! { rt::WireValue::Bool(#b) },
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => {
                let i = proc_macro2::Literal::i64_unsuffixed(i);
                quote! { rt::WireValue::Int(#i) }
            }
            None => {
                let text = n.to_string();
                quote! { rt::WireValue::number(#text) }
            }
        },
        _ => quote! { rt::WireValue::Null },
    }
}

/// The wire value expression of the scope's value (a reference) at its field path.
fn wire_value(p: &Provider, ty: &TypeRef, siblings: &[Field], s: &Scope) -> TokenStream {
    let (v, fp, errs) = (s.value(), s.field_path(), s.errs());
    match ty {
        TypeRef::Money { currency, wire } => money_value(currency, *wire, siblings, s),
        TypeRef::Named(id) if named_kind(p, *id) == NamedKind::Structured => {
            let ctx = s.ctx();
            quote! { rt::within(#errs, &#fp, |#errs| rt::ToWire::to_wire(#v, #ctx, "", #errs)) }
        }
        TypeRef::List(inner) => match inner.as_ref() {
            TypeRef::Named(id) if named_kind(p, *id) == NamedKind::Structured => {
                let ctx = s.ctx();
                quote! {
                    rt::WireValue::List(
                        #v.iter().enumerate().map(|(i, item)| rt::within_item(#errs, &#fp, i, |#errs| rt::ToWire::to_wire(item, #ctx, "", #errs))).collect(),
                    )
                }
            }
            _ => quote! { rt::wire_value(#v, &#fp, #errs) },
        },
        _ => quote! { rt::wire_value(#v, &#fp, #errs) },
    }
}

fn money_value(
    currency: &MoneyCurrency,
    wire: MoneyWire,
    siblings: &[Field],
    s: &Scope,
) -> TokenStream {
    let args = moved(money_args(currency, wire, siblings, s));
    quote! { rt::money_value(#args) }
}

/// The arguments of `rt::money_value` (and of `rt::write_money` after its buffer): the
/// amount, its currency's text, its wire form, the context, the path and the errors.
pub(super) fn money_args(
    currency: &MoneyCurrency,
    wire: MoneyWire,
    siblings: &[Field],
    s: &Scope,
) -> TokenStream {
    let wire = moved(money_wire(wire));
    let currency = moved(money_currency(currency, siblings));
    let (v, ctx, fp, errs) = (s.value(), s.ctx(), s.field_path(), s.errs());
    quote! { *#v, #currency, #wire, #ctx, &#fp, #errs }
}

/// An amount's wire form as an `rt::MoneyWire` expression.
pub(super) fn money_wire(wire: MoneyWire) -> TokenStream {
    match wire {
        MoneyWire::IntegerMinor => quote! { rt::MoneyWire::IntegerMinor },
        MoneyWire::DecimalNumber => quote! { rt::MoneyWire::DecimalNumber },
        MoneyWire::DecimalString => quote! { rt::MoneyWire::DecimalString },
    }
}

/// An amount's currency text as a `&str` expression: the fixed code, or the sibling field's
/// text (a string read in place; any other type's wire text borrowed from its tree form, an
/// enum's text, or written out).
pub(super) fn money_currency(currency: &MoneyCurrency, siblings: &[Field]) -> TokenStream {
    let currency_field = match currency {
        MoneyCurrency::Field(f) => f,
        MoneyCurrency::Fixed(code) => return quote! { #code },
    };
    match siblings.iter().find(|s| &s.wire == currency_field) {
        Some(c) => {
            let name = ident(&c.rust);
            let text = c.ty == TypeRef::Scalar(Scalar::String);
            match (is_optional(c, true), text) {
                (true, true) => quote! { self.#name.as_deref().unwrap_or_default() },
                (true, false) => {
                    quote! { &self.#name.as_ref().map(rt::wire_text_ref).unwrap_or_default() }
                }
                (false, true) => quote! { self.#name.as_str() },
                (false, false) => quote! { &rt::wire_text_ref(&self.#name) },
            }
        }
        None => quote! { "" },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_texts_name_the_same_types_as_the_tokens() {
        let scalars = [
            Scalar::String,
            Scalar::Integer,
            Scalar::Boolean,
            Scalar::Decimal,
            Scalar::Json,
        ];
        for sc in scalars {
            let tokens = scalar_type(sc).to_string().replace(' ', "");
            assert_eq!(tokens, scalar_type_text(sc));
        }
        let kinds = [
            Sensitivity::Pan,
            Sensitivity::Cvv,
            Sensitivity::Password,
            Sensitivity::Secret,
            Sensitivity::Pii,
        ];
        for k in kinds {
            let tokens = sensitive_type(k).to_string().replace(' ', "");
            assert_eq!(tokens, sensitive_type_text(k));
        }
    }
}
