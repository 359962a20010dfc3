//! The hand-written baselines: what a careful engineer writes for each row without paygen (a
//! plain serde struct, the hmac/sha crates directly, a byte-exact request). They share no code
//! with paygen; `main` checks that each produces exactly what the generated path produces before
//! anything is timed.

// The decoded structs' fields are what the baselines produce; the benchmark reads them only
// through `black_box`.
#![allow(dead_code)]

use std::fmt::Write as _;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};
use sha2::Sha256;

/// A request ready to send.
#[derive(Debug)]
pub struct Request {
    /// Full URL.
    pub url: String,
    /// Headers (names static, values owned).
    pub headers: Vec<(&'static str, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// Luhn check of a card number (digits only).
fn luhn(pan: &str) -> bool {
    let mut sum = 0u32;
    for (i, c) in pan.bytes().rev().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    (12..=19).contains(&pan.len()) && sum.is_multiple_of(10)
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

// ------------------------------------------------------------------ Cactusgino payout

/// A card payout as the caller fills it.
#[derive(Debug, Clone)]
pub struct CardPayout {
    pub site_login: String,
    pub site_id: i64,
    pub request_id: String,
    pub amount: i64,
    pub currency: String,
    pub bank_name: String,
    pub card_holder: String,
    pub card_number: String,
    pub expiry_date: String,
}

#[derive(Serialize)]
struct CardFieldsWire<'a> {
    bank_name: &'a str,
    card_holder: &'a str,
    card_number: &'a str,
    #[serde(rename = "expiry date")]
    expiry_date: &'a str,
}

#[derive(Serialize)]
struct PayoutWire<'a> {
    merchant_id: &'a str,
    site_login: &'a str,
    site_id: i64,
    request_id: &'a str,
    amount: i64,
    currency: &'a str,
    method: &'a str,
    additional_fields: CardFieldsWire<'a>,
    signature: &'a str,
}

/// The Cactusgino client, hand-written: merchant id, salt, base URL.
#[derive(Debug, Clone)]
pub struct Cactus {
    pub base: String,
    pub merchant_id: String,
    pub salt: String,
}

impl Cactus {
    /// Validated, signed (SHA-1 of the sorted `key:value;` string plus salt), serialized.
    pub fn payout(&self, p: &CardPayout) -> Result<Request, String> {
        if blank(&p.site_login) || blank(&p.request_id) || p.amount < 1 || !luhn(&p.card_number) {
            return Err("invalid payout".into());
        }
        if !matches!(
            p.currency.as_str(),
            "USD" | "EUR" | "RUB" | "UAH" | "USDT" | "IDR" | "AZN" | "VND" | "KZT"
        ) {
            return Err("unknown currency".into());
        }
        let mut canonical = String::with_capacity(256);
        let _ = write!(
            canonical,
            "additional_fields:bank_name:{};card_holder:{};card_number:{};expiry date:{};\
             amount:{};currency:{};merchant_id:{};method:card;request_id:{};site_id:{};site_login:{};",
            p.bank_name,
            p.card_holder,
            p.card_number,
            p.expiry_date,
            p.amount,
            p.currency,
            self.merchant_id,
            p.request_id,
            p.site_id,
            p.site_login
        );
        let mut h = Sha1::new();
        h.update(canonical.as_bytes());
        h.update(self.salt.as_bytes());
        let signature = hex::encode(h.finalize());
        let body = serde_json::to_vec(&PayoutWire {
            merchant_id: &self.merchant_id,
            site_login: &p.site_login,
            site_id: p.site_id,
            request_id: &p.request_id,
            amount: p.amount,
            currency: &p.currency,
            method: "card",
            additional_fields: CardFieldsWire {
                bank_name: &p.bank_name,
                card_holder: &p.card_holder,
                card_number: &p.card_number,
                expiry_date: &p.expiry_date,
            },
            signature: &signature,
        })
        .map_err(|e| e.to_string())?;
        Ok(Request {
            url: format!("{}/api/payout/", self.base),
            headers: vec![("Content-Type", "application/json".into())],
            body,
        })
    }

    /// A signed answer: parsed once, every field but `signature` signed like a request, the
    /// signature compared, then the typed struct read from the parsed value.
    pub fn answer<T: serde::de::DeserializeOwned>(&self, body: &[u8]) -> Result<T, String> {
        let value: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let map = value.as_object().ok_or("not an object")?;
        let given = map
            .get("signature")
            .and_then(Value::as_str)
            .ok_or("unsigned")?;
        let mut keys: Vec<&String> = map.keys().filter(|k| *k != "signature").collect();
        keys.sort();
        let mut canonical = String::with_capacity(256);
        for k in keys {
            let v = &map[k.as_str()];
            let _ = match v {
                Value::String(s) if blank(s) => continue,
                Value::String(s) => write!(canonical, "{}:{};", k.to_lowercase(), s),
                Value::Bool(true) => write!(canonical, "{}:True;", k.to_lowercase()),
                Value::Bool(false) => write!(canonical, "{}:False;", k.to_lowercase()),
                Value::Null => write!(canonical, "{}:None;", k.to_lowercase()),
                other => write!(canonical, "{}:{};", k.to_lowercase(), other),
            };
        }
        let mut h = Sha1::new();
        h.update(canonical.as_bytes());
        h.update(self.salt.as_bytes());
        let expected = hex::encode(h.finalize());
        let same = expected.len() == given.len()
            && expected
                .bytes()
                .zip(given.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return Err("bad signature".into());
        }
        T::deserialize(value).map_err(|e| e.to_string())
    }
}

/// The typed answer of a cash invoice update.
#[derive(Debug, Deserialize)]
pub struct CashUpdate {
    pub amount: Option<i64>,
    pub currency: Option<String>,
    pub invoice_id: Option<i64>,
    pub request_id: Option<String>,
    pub site_id: Option<i64>,
    pub site_login: Option<String>,
    pub success: Option<bool>,
}

// ------------------------------------------------------------------ Global Solutions charge

/// A card charge as the caller fills it (the payer data of the documented example).
#[derive(Debug, Clone)]
pub struct Charge {
    pub amount_minor: i64,
    pub currency: String,
    pub name: String,
    pub invoice_id: String,
    pub description: String,
    pub account_id: String,
    pub ip: String,
    pub pan: String,
    pub cvv: String,
    pub expiry_month: u8,
    pub expiry_year: u16,
    /// colorDepth, javaEnabled, screenHeight, screenWidth, language, acceptHeader, timeZoneOffset, userAgent
    pub browser: [String; 8],
    /// countryCode, city, address, postcode, phone, state, birthDate, firstName, lastName
    pub payer: [String; 9],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CardWire<'a> {
    public_id: &'a str,
    pan: &'a str,
    cvv: &'a str,
    expiry_month: u8,
    expiry_year: u16,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BrowserWire<'a> {
    color_depth: &'a str,
    java_enabled: &'a str,
    screen_height: &'a str,
    screen_width: &'a str,
    language: &'a str,
    accept_header: &'a str,
    time_zone_offset: &'a str,
    user_agent: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PayerWire<'a> {
    country_code: &'a str,
    city: &'a str,
    address: &'a str,
    postcode: &'a str,
    phone: &'a str,
    state: &'a str,
    birth_date: &'a str,
    first_name: &'a str,
    last_name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChargeWire<'a> {
    public_id: &'a str,
    amount: f64,
    currency: &'a str,
    name: &'a str,
    invoice_id: &'a str,
    description: &'a str,
    account_id: &'a str,
    ip: &'a str,
    card: CardWire<'a>,
    browser_data: BrowserWire<'a>,
    data: PayerWire<'a>,
}

/// The Global Solutions client, hand-written: public id, the Basic header made once.
#[derive(Debug, Clone)]
pub struct Gs {
    pub base: String,
    pub public_id: String,
    pub authorization: String,
    pub api_secret: String,
}

impl Gs {
    /// Builds the client (the Basic header encoded once).
    pub fn new(base: &str, public_id: &str, api_secret: &str) -> Gs {
        let pair = format!("{public_id}:{api_secret}");
        Gs {
            base: base.to_string(),
            public_id: public_id.to_string(),
            authorization: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            ),
            api_secret: api_secret.to_string(),
        }
    }

    /// Validated and serialized, with Basic auth.
    pub fn charge(&self, c: &Charge) -> Result<Request, String> {
        let cvv_ok = (3..=4).contains(&c.cvv.len()) && c.cvv.bytes().all(|b| b.is_ascii_digit());
        let ip_ok = c.ip.parse::<std::net::IpAddr>().is_ok();
        if c.amount_minor < 1
            || !luhn(&c.pan)
            || !cvv_ok
            || !(1..=12).contains(&c.expiry_month)
            || !ip_ok
            || [&c.name, &c.invoice_id, &c.description, &c.account_id]
                .iter()
                .any(|s| blank(s))
            || c.currency.len() != 3
        {
            return Err("invalid charge".into());
        }
        let [b0, b1, b2, b3, b4, b5, b6, b7] = &c.browser;
        let [p0, p1, p2, p3, p4, p5, p6, p7, p8] = &c.payer;
        let body = serde_json::to_vec(&ChargeWire {
            public_id: &self.public_id,
            amount: c.amount_minor as f64 / 100.0,
            currency: &c.currency,
            name: &c.name,
            invoice_id: &c.invoice_id,
            description: &c.description,
            account_id: &c.account_id,
            ip: &c.ip,
            card: CardWire {
                public_id: &self.public_id,
                pan: &c.pan,
                cvv: &c.cvv,
                expiry_month: c.expiry_month,
                expiry_year: c.expiry_year,
            },
            browser_data: BrowserWire {
                color_depth: b0,
                java_enabled: b1,
                screen_height: b2,
                screen_width: b3,
                language: b4,
                accept_header: b5,
                time_zone_offset: b6,
                user_agent: b7,
            },
            data: PayerWire {
                country_code: p0,
                city: p1,
                address: p2,
                postcode: p3,
                phone: p4,
                state: p5,
                birth_date: p6,
                first_name: p7,
                last_name: p8,
            },
        })
        .map_err(|e| e.to_string())?;
        Ok(Request {
            url: format!("{}/payments/charge/card", self.base),
            headers: vec![
                ("Content-Type", "application/json".into()),
                ("Authorization", self.authorization.clone()),
            ],
            body,
        })
    }

    /// `Content-HMAC` is base64 of the lower-case hex HMAC-SHA256 of the raw body; checked in
    /// constant time, then the body parsed into the struct.
    pub fn webhook(&self, content_hmac: &str, body: &[u8]) -> Result<GsNotification, String> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.api_secret.as_bytes())
            .map_err(|e| e.to_string())?;
        mac.update(body);
        let hex_text = hex::encode(mac.finalize().into_bytes());
        let given = base64::engine::general_purpose::STANDARD
            .decode(content_hmac)
            .map_err(|e| e.to_string())?;
        let same = given.len() == hex_text.len()
            && given
                .iter()
                .zip(hex_text.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return Err("bad signature".into());
        }
        serde_json::from_slice(body).map_err(|e| e.to_string())
    }
}

/// The typed answer of a payout (the fields a caller reads).
#[derive(Debug, Deserialize)]
pub struct PayoutAnswer {
    pub invoice_id: Option<Value>,
    pub status: Option<i64>,
    pub success: Option<bool>,
}

/// The typed answer of a charge (the fields a caller reads).
#[derive(Debug, Deserialize)]
pub struct ChargeAnswer {
    pub success: bool,
    pub message: Option<String>,
    pub model: Option<ChargeModel>,
}

/// The transaction of a charge answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeModel {
    pub transaction_id: i64,
    pub amount: f64,
    pub currency: String,
    pub status_code: i64,
    pub status: String,
}

/// The payment notification as a plain struct.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GsNotification {
    pub transaction_id: Option<i64>,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub date_time: Option<String>,
    pub invoice_id: Option<String>,
    pub account_id: Option<String>,
    pub operation_type_code: Option<i64>,
    pub operation_type: Option<String>,
    pub status: Option<String>,
    pub status_code: Option<i64>,
    pub card_first_six: Option<String>,
    pub card_last_four: Option<String>,
    pub card_type: Option<String>,
    pub card_exp_date: Option<String>,
    pub name: Option<String>,
    pub token: Option<String>,
}

/// A body with `signature` set to the salted SHA-1 of its other fields (the answer a provider
/// would sign), by the same rule as [`Cactus::answer`].
pub fn sign_answer(salt: &str, unsigned: &str) -> String {
    let mut map: Map<String, Value> = serde_json::from_str(unsigned).expect("json");
    let mut keys: Vec<String> = map.keys().cloned().collect();
    keys.sort();
    let mut canonical = String::new();
    for k in keys {
        let _ = match &map[&k] {
            Value::String(s) => write!(canonical, "{}:{};", k.to_lowercase(), s),
            Value::Bool(true) => write!(canonical, "{}:True;", k.to_lowercase()),
            Value::Bool(false) => write!(canonical, "{}:False;", k.to_lowercase()),
            other => write!(canonical, "{}:{};", k.to_lowercase(), other),
        };
    }
    let mut h = Sha1::new();
    h.update(canonical.as_bytes());
    h.update(salt.as_bytes());
    map.insert("signature".into(), Value::String(hex::encode(h.finalize())));
    serde_json::to_string(&map).expect("json")
}
