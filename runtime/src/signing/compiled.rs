//! Recipes compiled once: checked, templates parsed, keys prepared from the credentials. Signing
//! and verifying then do no parsing, no checking and build no debugging text: a canonical
//! message is written into one stack buffer, digested there, and compared as bytes.

use std::borrow::Cow;
use std::sync::Arc;

use super::canonical::CanonicalPlan;
use super::check::check_recipe;
use super::digest::{encode, encoded};
use super::engine::{constant_time_eq, Stages};
use super::keys::{prepare_key, Key, SigBytes};
use super::message::{MessageTemplate, SecretsShown, Var};
use super::placed::{Captured, PlacedReader};
use super::recipe::{Encoding, Over, Recipe, SecretPlacement, SecretTransform};
use super::text_buf::TextBuf;
use super::view::{RequestView, SecretsView};
use super::SigningError;
use crate::credentials::Credentials;

/// What the signed message is.
#[derive(Debug, Clone)]
pub(crate) enum MessagePlan {
    /// The v1 canonical rendering of the body fields.
    Canonical,
    /// The exact body bytes.
    RawBody,
    /// A message template.
    Template(MessageTemplate),
}

/// One extra header the recipe sets.
#[derive(Debug, Clone)]
pub(crate) struct HeaderPlan {
    pub(crate) name: String,
    pub(crate) template: MessageTemplate,
    /// Names `{signature}`: rendered after signing (and the message cannot read it).
    pub(crate) after_signature: bool,
    /// Reads generated values back out of a received header.
    pub(crate) reader: PlacedReader,
}

/// A checked recipe with its templates parsed. Holds no secret.
#[derive(Debug, Clone)]
pub struct CompiledRecipe {
    pub(crate) recipe: Recipe,
    pub(crate) message: MessagePlan,
    pub(crate) canonical: Option<CanonicalPlan>,
    pub(crate) value: Option<MessageTemplate>,
    pub(crate) headers: Vec<HeaderPlan>,
    pub(crate) fields: Vec<(String, MessageTemplate)>,
    secret_placeholder: String,
    /// Reads the signature (and generated values) back out of a received placed text.
    value_reader: PlacedReader,
}

fn invalid(problems: Vec<String>) -> SigningError {
    SigningError::InvalidRecipe(problems.join("; "))
}

impl CompiledRecipe {
    /// Checks `recipe` ([`check_recipe`]) and parses its templates.
    pub fn new(recipe: &Recipe) -> Result<CompiledRecipe, SigningError> {
        let problems = check_recipe(recipe);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let parse =
            |t: &str, what: &str| MessageTemplate::parse(t, what).map_err(|e| invalid(vec![e]));
        let message = match &recipe.over {
            Over::RawBody => MessagePlan::RawBody,
            Over::Message(t) => MessagePlan::Template(parse(t, "over.message")?),
            Over::BodyFields | Over::Fields(_) => MessagePlan::Canonical,
        };
        let canonical = match &message {
            MessagePlan::RawBody => None,
            MessagePlan::Template(t) if !t.uses(&Var::Canonical) => None,
            _ => Some(CanonicalPlan::new(recipe)?),
        };
        let value = recipe
            .value
            .as_deref()
            .map(|v| parse(v, "value"))
            .transpose()?;
        let mut headers = Vec::new();
        for (name, text) in &recipe.headers {
            let template = parse(text, &format!("headers.{name}"))?;
            let after_signature = template.uses(&Var::Signature);
            headers.push(HeaderPlan {
                name: name.clone(),
                reader: PlacedReader::new(Some(&template)),
                template,
                after_signature,
            });
        }
        let mut fields = Vec::new();
        for (name, text) in &recipe.fields {
            fields.push((name.clone(), parse(text, &format!("fields.{name}"))?));
        }
        let secret = &recipe.secret;
        let secret_placeholder = match secret.transform {
            SecretTransform::None => format!("<{}>", secret.credential),
            SecretTransform::Md5Hex => format!("<md5_hex({})>", secret.credential),
        };
        Ok(CompiledRecipe {
            recipe: recipe.clone(),
            message,
            canonical,
            value_reader: PlacedReader::new(value.as_ref()),
            value,
            headers,
            fields,
            secret_placeholder,
        })
    }

    /// The recipe.
    pub fn recipe(&self) -> &Recipe {
        &self.recipe
    }

    /// Whether the message reads the exact body bytes (so it is signed after the body is
    /// written).
    pub fn reads_body_bytes(&self) -> bool {
        match &self.message {
            MessagePlan::RawBody => true,
            MessagePlan::Canonical => false,
            MessagePlan::Template(t) => t
                .vars()
                .any(|v| matches!(v, Var::RawBody | Var::BodyDigest(..) | Var::Header(_))),
        }
    }

    /// Whether signing or verifying reads the parsed body fields: a body-field placement,
    /// recipe `fields`, a canonical message, or a template naming `{field.X}` or `{canonical}`.
    /// When it does not, a received message verifies over its headers and raw bytes alone.
    pub fn reads_fields(&self) -> bool {
        let message = match &self.message {
            MessagePlan::RawBody => false,
            MessagePlan::Canonical => true,
            MessagePlan::Template(t) => t
                .vars()
                .any(|v| matches!(v, Var::Field(_) | Var::Canonical)),
        };
        message
            || !self.fields.is_empty()
            || !matches!(self.recipe.place, super::recipe::Placement::Header(_))
    }

    /// Reads the signature candidates and generated values out of a received placed text.
    pub(crate) fn read_placed<'t>(&self, text: &'t str) -> Option<Captured<'t>> {
        self.value_reader.read(text)
    }
}

/// A compiled recipe with its keys prepared from the credentials, built once per client (or
/// receiver). Cheap to clone.
#[derive(Clone)]
pub struct Signer {
    plan: Arc<CompiledRecipe>,
    /// The main key first, then `previous` keys present in the credentials.
    keys: Arc<[Key]>,
    credentials: Credentials,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("recipe", &self.plan.recipe)
            .field("keys", &self.keys.len())
            .finish()
    }
}

impl Signer {
    /// Prepares the keys `plan` names (the main credential must be present; `previous` ones
    /// are used when present).
    pub fn new(plan: Arc<CompiledRecipe>, creds: &Credentials) -> Result<Signer, SigningError> {
        let use_ = &plan.recipe.secret;
        let mut keys = Vec::new();
        for (i, name) in use_.verifying_credentials().enumerate() {
            match creds.get(name) {
                Some(value) => {
                    keys.push(prepare_key(name, value.expose(), use_, plan.recipe.digest)?)
                }
                None if i == 0 => return Err(SigningError::MissingCredential(name.to_string())),
                None => {}
            }
        }
        Ok(Signer {
            plan,
            keys: keys.into(),
            credentials: creds.clone(),
        })
    }

    /// Compiles `recipe` and prepares its keys in one step.
    pub fn from_recipe(recipe: &Recipe, creds: &Credentials) -> Result<Signer, SigningError> {
        Signer::new(Arc::new(CompiledRecipe::new(recipe)?), creds)
    }

    /// A signer for a simulator of the other side: with `use: public_key` and a `signer`
    /// credential, signs with that private key; otherwise the same as [`Signer::new`].
    pub fn for_counterpart(
        plan: Arc<CompiledRecipe>,
        creds: &Credentials,
    ) -> Result<Signer, SigningError> {
        let use_ = &plan.recipe.secret;
        match (&use_.use_as, &use_.signer) {
            (SecretPlacement::PublicKey, Some(private)) => {
                let mut as_private = use_.clone();
                as_private.use_as = SecretPlacement::PrivateKey;
                let value = creds
                    .get(private)
                    .ok_or_else(|| SigningError::MissingCredential(private.clone()))?;
                let key = prepare_key(private, value.expose(), &as_private, plan.recipe.digest)?;
                Ok(Signer {
                    plan,
                    keys: vec![key].into(),
                    credentials: creds.clone(),
                })
            }
            _ => Signer::new(plan, creds),
        }
    }

    /// The compiled recipe.
    pub fn plan(&self) -> &CompiledRecipe {
        &self.plan
    }

    /// The compiled recipe, shared.
    pub fn plan_arc(&self) -> &Arc<CompiledRecipe> {
        &self.plan
    }

    fn with_secrets<'a>(
        &'a self,
        view: &RequestView<'a>,
        key: &'a Key,
        canonical: Option<&'a str>,
    ) -> RequestView<'a> {
        let mut v = *view;
        v.secrets = Some(SecretsView {
            credentials: &self.credentials,
            secret: match key {
                Key::Plain(bytes) => Some(bytes.as_slice()),
                _ => None,
            },
            secret_placeholder: &self.plan.secret_placeholder,
        });
        if canonical.is_some() {
            v.canonical = canonical;
        }
        v
    }

    /// Writes the canonical string of the request's fields into `text` (a stack buffer the
    /// caller owns, so it is never moved); false when the recipe has no canonical message.
    fn write_canonical(
        &self,
        view: &RequestView<'_>,
        text: &mut TextBuf,
    ) -> Result<bool, SigningError> {
        let Some(plan) = &self.plan.canonical else {
            return Ok(false);
        };
        let fields = view.fields.ok_or(SigningError::WrongInput(
            "recipe signs fields but a raw body was given",
        ))?;
        plan.write(fields, text);
        Ok(true)
    }

    /// The message bytes for `key`, with secrets shown or masked.
    fn message<'a>(
        &'a self,
        view: &RequestView<'a>,
        key: &'a Key,
        canonical: Option<&'a TextBuf>,
        shown: SecretsShown,
    ) -> Cow<'a, [u8]> {
        match &self.plan.message {
            MessagePlan::RawBody => Cow::Borrowed(view.body),
            MessagePlan::Canonical => Cow::Borrowed(canonical.map_or(&[][..], TextBuf::as_bytes)),
            MessagePlan::Template(t) => {
                let v = self.with_secrets(view, key, canonical.map(TextBuf::as_str));
                let mut out = Vec::with_capacity(128 + view.body.len());
                t.render(&v, shown, &mut out);
                Cow::Owned(out)
            }
        }
    }

    fn main_key(&self) -> Result<&Key, SigningError> {
        self.keys.first().ok_or_else(|| {
            SigningError::MissingCredential(self.plan.recipe.secret.credential.clone())
        })
    }

    fn raw_signature(&self, key: &Key, message: &[u8]) -> Result<SigBytes, SigningError> {
        let s = &self.plan.recipe.secret;
        key.sign(
            self.plan.recipe.digest,
            s.use_as,
            s.separator.as_bytes(),
            message,
        )
    }

    /// The raw signature of `message` with the main key.
    pub(super) fn sign_message_bytes(&self, message: &[u8]) -> Result<SigBytes, SigningError> {
        let key = self.main_key()?;
        self.raw_signature(key, message)
    }

    /// The encoded signature of the request `view` shows, with the main key.
    pub fn sign(&self, view: &RequestView<'_>) -> Result<String, SigningError> {
        let key = self.main_key()?;
        let mut text = TextBuf::new();
        let canonical = self.write_canonical(view, &mut text)?.then_some(&text);
        let message = self.message(view, key, canonical, SecretsShown::Value);
        Ok(encode(
            self.plan.recipe.encoding,
            &self.raw_signature(key, &message)?,
        ))
    }

    /// The signature and the message it covers, secrets masked (one-call tools and vectors).
    pub fn signed(&self, view: &RequestView<'_>) -> Result<super::Signed, SigningError> {
        let key = self.main_key()?;
        let mut text = TextBuf::new();
        let canonical = self.write_canonical(view, &mut text)?.then_some(&text);
        let message = self.message(view, key, canonical, SecretsShown::Value);
        let signature = encode(
            self.plan.recipe.encoding,
            &self.raw_signature(key, &message)?,
        );
        let canonical = match &self.plan.message {
            MessagePlan::Template(_) => {
                let masked = self.message(view, key, canonical, SecretsShown::Masked);
                String::from_utf8_lossy(&masked).into_owned()
            }
            MessagePlan::Canonical => canonical
                .map(TextBuf::as_str)
                .unwrap_or_default()
                .to_owned(),
            MessagePlan::RawBody => String::from_utf8_lossy(view.body).into_owned(),
        };
        Ok(super::Signed {
            canonical,
            signature,
        })
    }

    /// The placed text: the `value` template filled (default: the signature itself).
    pub fn placed(&self, view: &RequestView<'_>, signature: &str) -> String {
        match &self.plan.value {
            None => signature.to_string(),
            Some(t) => {
                let mut v = *view;
                v.signature = Some(signature);
                let v = match self.keys.first() {
                    Some(key) => self.with_secrets(&v, key, None),
                    None => v,
                };
                t.render_text(&v, SecretsShown::Value)
            }
        }
    }

    /// [`Signer::placed`] taking the signature by value: the signature itself, not a copy,
    /// when the recipe places it as it is.
    pub fn place(&self, view: &RequestView<'_>, signature: String) -> String {
        match &self.plan.value {
            None => signature,
            Some(_) => self.placed(view, &signature),
        }
    }

    /// Whether a recipe header names `{signature}` (it is rendered after signing).
    pub(crate) fn header_reads_signature(&self) -> bool {
        self.plan.headers.iter().any(|h| h.after_signature)
    }

    /// Renders a recipe template (header or field) against `view`, secrets shown.
    pub(crate) fn render(&self, template: &MessageTemplate, view: &RequestView<'_>) -> String {
        match self.keys.first() {
            Some(key) => {
                template.render_text(&self.with_secrets(view, key, None), SecretsShown::Value)
            }
            None => template.render_text(view, SecretsShown::Value),
        }
    }

    /// Checks `provided` (one candidate) against the request, trying every key (rotation).
    /// Hex encodings compare case-insensitively; comparisons run in constant time.
    pub fn verify(&self, view: &RequestView<'_>, provided: &str) -> Result<(), SigningError> {
        self.verify_any(view, &[provided])
    }

    /// Like [`Signer::verify`], accepting any of several candidates.
    pub fn verify_any(
        &self,
        view: &RequestView<'_>,
        candidates: &[&str],
    ) -> Result<(), SigningError> {
        let recipe = &self.plan.recipe;
        let mut text = TextBuf::new();
        let canonical = self.write_canonical(view, &mut text)?.then_some(&text);
        let mut expected_len = 0;
        for key in self.keys.iter() {
            let message = self.message(view, key, canonical, SecretsShown::Value);
            if recipe.digest.is_asymmetric() {
                let ok = candidates.iter().any(|c| {
                    decode_signature(recipe.encoding, c)
                        .is_some_and(|bytes| key.verify_asymmetric(recipe.digest, &message, &bytes))
                });
                if ok {
                    return Ok(());
                }
                continue;
            }
            let expected = encoded(recipe.encoding, &self.raw_signature(key, &message)?);
            expected_len = expected.len();
            let fold = matches!(recipe.encoding, Encoding::Hex | Encoding::HexUpper);
            if candidates
                .iter()
                .any(|c| constant_time_eq(&expected, c.as_bytes(), fold))
            {
                return Ok(());
            }
        }
        Err(SigningError::Mismatch { expected_len })
    }

    /// The headers the recipe sets before signing (those not naming `{signature}`), rendered
    /// against `view` (vectors and tools; preparation places them itself).
    pub fn recipe_headers(&self, view: &RequestView<'_>) -> Vec<(String, String)> {
        self.plan
            .headers
            .iter()
            .filter(|h| !h.after_signature)
            .map(|h| (h.name.clone(), self.render(&h.template, view)))
            .collect()
    }

    /// The recipe's `fields` rendered against `view` (set before signing).
    pub fn recipe_fields(&self, view: &RequestView<'_>) -> Vec<(String, String)> {
        self.plan
            .fields
            .iter()
            .map(|(name, t)| (name.clone(), self.render(t, view)))
            .collect()
    }

    /// The headers that name `{signature}`, rendered with it (set after signing).
    pub fn signature_headers(
        &self,
        view: &RequestView<'_>,
        signature: &str,
    ) -> Vec<(String, String)> {
        let mut v = *view;
        v.signature = Some(signature);
        self.plan
            .headers
            .iter()
            .filter(|h| h.after_signature)
            .map(|h| (h.name.clone(), self.render(&h.template, &v)))
            .collect()
    }

    /// The message, secrets masked as `<name>` (what vectors call `canonical`); needs no
    /// private key.
    pub fn message_text(&self, view: &RequestView<'_>) -> Result<String, SigningError> {
        let key = self.main_key()?;
        let mut text = TextBuf::new();
        let canonical = self.write_canonical(view, &mut text)?.then_some(&text);
        let masked = self.message(view, key, canonical, SecretsShown::Masked);
        Ok(String::from_utf8_lossy(&masked).into_owned())
    }

    /// Every stage, secrets masked (debugging: `paygen sign`, vectors).
    pub fn stages(&self, view: &RequestView<'_>) -> Result<Stages, SigningError> {
        let key = self.main_key()?;
        let recipe = &self.plan.recipe;
        let mut text = TextBuf::new();
        let canonical_rules = self.write_canonical(view, &mut text)?.then_some(&text);
        let masked = self.message(view, key, canonical_rules, SecretsShown::Masked);
        let real = self.message(view, key, canonical_rules, SecretsShown::Value);
        let canonical = String::from_utf8_lossy(&masked).into_owned();
        let s = &recipe.secret;
        let digested_masked = match s.use_as {
            SecretPlacement::Append => {
                format!("{canonical}{}{}", s.separator, self.plan.secret_placeholder)
            }
            SecretPlacement::Prepend => {
                format!("{}{}{canonical}", self.plan.secret_placeholder, s.separator)
            }
            _ => canonical.clone(),
        };
        let bytes = self.raw_signature(key, &real)?;
        Ok(Stages {
            canonical,
            digested_masked,
            digest_hex: hex::encode(&bytes),
            signature: encode(recipe.encoding, &bytes),
        })
    }
}

/// Signature text back to bytes for public-key verification.
fn decode_signature(encoding: Encoding, text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let text = text.trim();
    match encoding {
        Encoding::Hex | Encoding::HexUpper => hex::decode(text).ok(),
        Encoding::Base64 => b64.decode(text).ok(),
        Encoding::Base64OfHex => hex::decode(b64.decode(text).ok()?).ok(),
        Encoding::Base64Url => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .ok(),
    }
}
