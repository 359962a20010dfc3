//! Canonical pairs written straight from a typed request, with no request tree (issue 11):
//! the traits generated request types implement when their signing recipe's canonical form
//! can be fixed at generation time ([`WriteSigned`], [`WriteFlatPairs`]), the writers they
//! call ([`CanonicalPairs`], [`FlatPairs`]), and the signer's entry point.
//!
//! A generated writer fixes only the keys and their order (the byte order of the wire keys,
//! which the runtime sorts by too); every value is rendered here by the recipe's own rules, as
//! the tree path renders it, excluded keys are left out here and top-level keys lower-cased
//! here. The generator writes pairs only for a valid request (the body was written first and
//! any field error refused the request).

use super::canonical::Pairs;
use super::compiled::{CompiledRecipe, MessagePlan, Signer};
use super::digest::{encoded, EncodedBuf};
use super::recipe::{Over, Placement};
use super::render::Renderer;
use super::text_buf::TextBuf;
use super::SigningError;
use crate::json_direct::WriteJson;
use crate::money::{MinorUnits, MoneyWire};
use crate::towire::{money_value, WireContext};
use crate::validate::ValidationErrors;
use crate::wire_tree::WireValue;

/// A request whose body's canonical pairs a generated writer writes in the recipe's order.
pub trait WriteSigned: WriteJson {
    /// Whether a pair's value is a flattened nested object (the recipe must then say
    /// `nested: flatten_one_level`).
    const FLATTENS: bool;

    /// Whether every top-level wire key is ASCII with no upper-case letter, so lower-casing
    /// leaves it as it is (and is skipped).
    const KEYS_ARE_LOWER_CASE: bool;

    /// Writes the top-level pairs of the valid request's body, in the byte order of the wire
    /// keys, absent optional fields left out.
    fn write_pairs(&self, ctx: &WireContext<'_>, pairs: &mut CanonicalPairs<'_, '_>);
}

/// A nested object (or one-of of objects) whose pairs a generated writer writes flattened.
pub trait WriteFlatPairs {
    /// Writes the object's pairs in the byte order of its wire keys.
    fn write_flat_pairs(&self, ctx: &WireContext<'_>, pairs: &mut FlatPairs<'_>);
}

/// The top-level pairs of one canonical string being written.
pub struct CanonicalPairs<'p, 'o> {
    pairs: Pairs<'p, 'o>,
    /// Whether keys are lower-cased as they are written.
    lower: bool,
}

impl CanonicalPairs<'_, '_> {
    /// A pair whose value is any wire value, rendered as the tree path renders it.
    #[inline]
    pub fn value(&mut self, key: &str, value: &WireValue<'_>) {
        let plan = self.pairs.plan;
        if plan.is_signed_key(key) {
            plan.write_pair(key, self.lower, value, &mut self.pairs);
        }
    }

    /// A pair whose value is a string (a `Str` wire value).
    #[inline]
    pub fn text(&mut self, key: &str, text: &str) {
        let plan = self.pairs.plan;
        if plan.is_signed_key(key) {
            self.pairs.push(key, self.lower, text);
        }
    }

    /// A pair whose value is the credential `name` (borrowed, not copied; a missing one is
    /// `null`, as its tree value, though a request missing one was refused before signing).
    #[inline]
    pub fn credential(&mut self, key: &str, ctx: &WireContext<'_>, name: &str) {
        match ctx.credentials.get(name) {
            Some(value) => self.text(key, value.expose()),
            None => self.value(key, &WireValue::Null),
        }
    }

    /// A pair whose value is an amount: its tree value ([`money_value`]: an integer of minor
    /// units as it is; an amount its currency cannot express was refused before signing, and
    /// is `null` here).
    #[inline]
    pub fn money(
        &mut self,
        key: &str,
        value: MinorUnits,
        currency: &str,
        wire: MoneyWire,
        ctx: &WireContext<'_>,
    ) {
        if wire == MoneyWire::IntegerMinor {
            return self.value(key, &WireValue::Int(value.0));
        }
        let mut refused = ValidationErrors::default();
        let value = money_value(value, currency, wire, ctx, "", &mut refused);
        self.value(key, &value);
    }

    /// A pair whose value is a nested object, flattened: `object` writes its pairs (perhaps
    /// more than once, when the pair template names `{value}` more than once).
    #[inline]
    pub fn object<T: WriteFlatPairs + ?Sized>(
        &mut self,
        key: &str,
        object: &T,
        ctx: &WireContext<'_>,
    ) {
        let plan = self.pairs.plan;
        if !plan.is_signed_key(key) {
            return;
        }
        let renderer = plan.renderer();
        self.pairs.push_rendered(key, self.lower, |out| {
            let mut flat = FlatPairs {
                renderer,
                out,
                first: true,
            };
            object.write_flat_pairs(ctx, &mut flat);
        });
    }
}

/// The pairs of one flattened nested object being written.
pub struct FlatPairs<'o> {
    renderer: &'o Renderer,
    out: &'o mut TextBuf,
    first: bool,
}

impl FlatPairs<'_> {
    /// A pair whose value is any wire value.
    #[inline]
    pub fn value(&mut self, key: &str, value: &WireValue<'_>) {
        self.renderer
            .flat_pair(self.out, &mut self.first, key, value);
    }

    /// A pair whose value is a string.
    #[inline]
    pub fn text(&mut self, key: &str, text: &str) {
        self.renderer
            .flat_text(self.out, &mut self.first, key, text);
    }
}

impl CompiledRecipe {
    /// The body field the signature goes into when a generated writer's pairs are this
    /// recipe's whole message (a writer flattening nested objects when `flattens`): the
    /// canonical string of every body field, keys sorted, no template, header, recipe field,
    /// generated value or `value` template, the signature placed in a top-level body field.
    /// `None`: the request goes the tree path.
    pub fn signs_written_pairs(&self, flattens: bool) -> Option<&str> {
        let r = &self.recipe;
        let plan = self.canonical.as_ref()?;
        let plain = matches!(self.message, MessagePlan::Canonical)
            && r.over == Over::BodyFields
            && plan.sorts_body_fields()
            && (!flattens || plan.renderer().flattens())
            && self.value.is_none()
            && self.headers.is_empty()
            && self.fields.is_empty()
            && r.generate.is_empty();
        match &r.place {
            Placement::BodyField(name) if plain && !name.contains(['.', '[']) => Some(name),
            _ => None,
        }
    }
}

impl Signer {
    /// The encoded signature of `request`'s canonical pairs, written by its generated writer
    /// (only when [`CompiledRecipe::signs_written_pairs`] holds: the caller checks).
    pub fn sign_written<T: WriteSigned + ?Sized>(
        &self,
        request: &T,
        ctx: &WireContext<'_>,
    ) -> Result<String, SigningError> {
        let text = self.sign_written_encoded(request, ctx)?;
        // hex and base64 digits are ASCII
        Ok(String::from_utf8_lossy(&text).into_owned())
    }

    /// [`Signer::sign_written`] as text on the stack (no allocation for a digest's encoding).
    pub(crate) fn sign_written_encoded<T: WriteSigned + ?Sized>(
        &self,
        request: &T,
        ctx: &WireContext<'_>,
    ) -> Result<EncodedBuf, SigningError> {
        let plan = self
            .plan()
            .canonical
            .as_ref()
            .ok_or(SigningError::WrongInput("recipe has no canonical message"))?;
        let mut text = TextBuf::new();
        plan.open(&mut text);
        let mut pairs = CanonicalPairs {
            pairs: Pairs::new(plan, &mut text),
            lower: plan.lower_keys() && !T::KEYS_ARE_LOWER_CASE,
        };
        request.write_pairs(ctx, &mut pairs);
        plan.close(&mut text);
        let bytes = self.sign_message_bytes(text.as_bytes())?;
        Ok(encoded(self.plan().recipe.encoding, &bytes))
    }
}
