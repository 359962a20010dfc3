//! Recipes as Rust expressions: a spec's signing recipe becomes constructor code, not text to parse.

use paygen_runtime::signing::{
    AbsentRule, Canonical, DeepRule, Digest, Encoding, Generate, KeyCase, KeyDecoding, ListRule,
    NestedRule, NonceForm, NullRule, Over, Placement, Recipe, SecretPlacement, SecretTransform,
    SkipRule, SortOrder, TimestampForm,
};
use proc_macro2::TokenStream;
use quote::quote;

/// An expression of type `rt::Recipe`.
pub fn recipe_expr(r: &Recipe) -> TokenStream {
    let over = over(&r.over);
    let exclude = r.exclude.iter().map(|e| quote! { #e.to_string() });
    let canonical = canonical(&r.canonical);
    let digest = digest(r.digest);
    let credential = &r.secret.credential;
    let use_as = placement_of_secret(r.secret.use_as);
    let transform = transform(r.secret.transform);
    let separator = &r.secret.separator;
    let decode = key_decoding(r.secret.decode);
    let previous = &r.secret.previous;
    let signer = opt_string(r.secret.signer.as_deref());
    let encoding = encoding(r.encoding);
    let place = place(&r.place);
    let generate = generate(&r.generate);
    let value = opt_string(r.value.as_deref());
    let headers = string_map(&r.headers);
    let fields = string_map(&r.fields);
    let tolerance = match r.tolerance {
        Some(t) => quote! { Some(#t) },
        None => quote! { None },
    };
    quote! {
        rt::Recipe {
            over: #over,
            exclude: vec![#(#exclude),*],
            canonical: #canonical,
            digest: #digest,
            secret: rt::SecretUse {
                credential: #credential.to_string(),
                use_as: #use_as,
                transform: #transform,
                separator: #separator.to_string(),
                decode: #decode,
                previous: vec![#(#previous.to_string()),*],
                signer: #signer,
            },
            encoding: #encoding,
            place: #place,
            generate: #generate,
            value: #value,
            headers: #headers,
            fields: #fields,
            tolerance: #tolerance,
        }
    }
}

fn over(o: &Over) -> TokenStream {
    match o {
        Over::BodyFields => quote! { rt::Over::BodyFields },
        Over::RawBody => quote! { rt::Over::RawBody },
        Over::Fields(f) => quote! { rt::Over::Fields(vec![#(#f.to_string()),*]) },
        Over::Message(m) => quote! { rt::Over::Message(#m.to_string()) },
    }
}

fn canonical(c: &Canonical) -> TokenStream {
    let sort = match c.sort {
        SortOrder::Keys => quote! { rt::SortOrder::Keys },
        SortOrder::None => quote! { rt::SortOrder::None },
    };
    let key_case = match c.key_case {
        KeyCase::AsIs => quote! { rt::KeyCase::AsIs },
        KeyCase::Lower => quote! { rt::KeyCase::Lower },
    };
    let (pair, join, prefix, suffix) = (&c.pair, &c.join, &c.prefix, &c.suffix);
    let skip = match c.skip {
        SkipRule::Never => quote! { rt::SkipRule::Never },
        SkipRule::Empty => quote! { rt::SkipRule::Empty },
        SkipRule::Blank => quote! { rt::SkipRule::Blank },
    };
    let null = match &c.null {
        NullRule::Skip => quote! { rt::NullRule::Skip },
        NullRule::Render(t) => quote! { rt::NullRule::Render(#t.to_string()) },
    };
    let (t, f) = (&c.bools.true_text, &c.bools.false_text);
    let nested = nested(&c.nested);
    let lists = lists(&c.lists);
    let deep = match c.deep {
        DeepRule::Json => quote! { rt::DeepRule::Json },
        DeepRule::PythonRepr => quote! { rt::DeepRule::PythonRepr },
    };
    let absent = match &c.absent {
        AbsentRule::Skip => quote! { rt::AbsentRule::Skip },
        AbsentRule::Empty => quote! { rt::AbsentRule::Empty },
        AbsentRule::Render(t) => quote! { rt::AbsentRule::Render(#t.to_string()) },
    };
    quote! {
        rt::Canonical {
            sort: #sort,
            key_case: #key_case,
            pair: #pair.to_string(),
            join: #join.to_string(),
            prefix: #prefix.to_string(),
            suffix: #suffix.to_string(),
            skip: #skip,
            null: #null,
            bools: rt::BoolRender { true_text: #t.to_string(), false_text: #f.to_string() },
            nested: #nested,
            lists: #lists,
            deep: #deep,
            absent: #absent,
        }
    }
}

fn nested(n: &NestedRule) -> TokenStream {
    match n {
        NestedRule::Json => quote! { rt::NestedRule::Json },
        NestedRule::FlattenOneLevel { pair, join } => quote! {
            rt::NestedRule::FlattenOneLevel { pair: #pair.to_string(), join: #join.to_string() }
        },
    }
}

fn lists(l: &ListRule) -> TokenStream {
    match l {
        ListRule::Json => quote! { rt::ListRule::Json },
        ListRule::Join(s) => quote! { rt::ListRule::Join(#s.to_string()) },
        ListRule::SortedJoin(s) => quote! { rt::ListRule::SortedJoin(#s.to_string()) },
    }
}

fn digest(d: Digest) -> TokenStream {
    match d {
        Digest::Md5 => quote! { rt::Digest::Md5 },
        Digest::Sha1 => quote! { rt::Digest::Sha1 },
        Digest::Sha256 => quote! { rt::Digest::Sha256 },
        Digest::Sha512 => quote! { rt::Digest::Sha512 },
        Digest::HmacSha256 => quote! { rt::Digest::HmacSha256 },
        Digest::HmacSha512 => quote! { rt::Digest::HmacSha512 },
        Digest::HmacSha1 => quote! { rt::Digest::HmacSha1 },
        Digest::RsaSha256 => quote! { rt::Digest::RsaSha256 },
        Digest::RsaPssSha256 => quote! { rt::Digest::RsaPssSha256 },
        Digest::EcdsaP256Sha256 => quote! { rt::Digest::EcdsaP256Sha256 },
        Digest::EcdsaP256Sha256Raw => quote! { rt::Digest::EcdsaP256Sha256Raw },
        Digest::Ed25519 => quote! { rt::Digest::Ed25519 },
    }
}

fn placement_of_secret(p: SecretPlacement) -> TokenStream {
    match p {
        SecretPlacement::Append => quote! { rt::SecretPlacement::Append },
        SecretPlacement::Prepend => quote! { rt::SecretPlacement::Prepend },
        SecretPlacement::HmacKey => quote! { rt::SecretPlacement::HmacKey },
        SecretPlacement::InMessage => quote! { rt::SecretPlacement::InMessage },
        SecretPlacement::PrivateKey => quote! { rt::SecretPlacement::PrivateKey },
        SecretPlacement::PublicKey => quote! { rt::SecretPlacement::PublicKey },
    }
}

fn transform(t: SecretTransform) -> TokenStream {
    match t {
        SecretTransform::None => quote! { rt::SecretTransform::None },
        SecretTransform::Md5Hex => quote! { rt::SecretTransform::Md5Hex },
    }
}

fn encoding(e: Encoding) -> TokenStream {
    match e {
        Encoding::Hex => quote! { rt::Encoding::Hex },
        Encoding::HexUpper => quote! { rt::Encoding::HexUpper },
        Encoding::Base64 => quote! { rt::Encoding::Base64 },
        Encoding::Base64OfHex => quote! { rt::Encoding::Base64OfHex },
        Encoding::Base64Url => quote! { rt::Encoding::Base64Url },
    }
}

fn place(p: &Placement) -> TokenStream {
    match p {
        Placement::BodyField(f) => quote! { rt::Placement::BodyField(#f.to_string()) },
        Placement::Header(h) => quote! { rt::Placement::Header(#h.to_string()) },
    }
}

fn key_decoding(d: KeyDecoding) -> TokenStream {
    match d {
        KeyDecoding::AsIs => quote! { rt::KeyDecoding::AsIs },
        KeyDecoding::Hex => quote! { rt::KeyDecoding::Hex },
        KeyDecoding::Base64 => quote! { rt::KeyDecoding::Base64 },
    }
}

fn opt_string(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote! { Some(#s.to_string()) },
        None => quote! { None },
    }
}

fn string_map(m: &indexmap::IndexMap<String, String>) -> TokenStream {
    if m.is_empty() {
        return quote! { Default::default() };
    }
    let (k, v): (Vec<_>, Vec<_>) = m.iter().unzip();
    quote! { [#((#k.to_string(), #v.to_string())),*].into_iter().collect() }
}

fn generate(g: &Generate) -> TokenStream {
    let timestamp = match g.timestamp {
        None => quote! { None },
        Some(t) => {
            let t = match t {
                TimestampForm::UnixSeconds => quote! { rt::TimestampForm::UnixSeconds },
                TimestampForm::UnixMillis => quote! { rt::TimestampForm::UnixMillis },
                TimestampForm::Iso8601 => quote! { rt::TimestampForm::Iso8601 },
                TimestampForm::HttpDate => quote! { rt::TimestampForm::HttpDate },
            };
            quote! { Some(#t) }
        }
    };
    let nonce = match g.nonce {
        None => quote! { None },
        Some(NonceForm::Hex(n)) => quote! { Some(rt::NonceForm::Hex(#n)) },
        Some(NonceForm::Alnum(n)) => quote! { Some(rt::NonceForm::Alnum(#n)) },
        Some(NonceForm::Uuid) => quote! { Some(rt::NonceForm::Uuid) },
    };
    quote! { rt::Generate { timestamp: #timestamp, nonce: #nonce } }
}
