//! ISO 4217 currencies with their minor-unit exponents, and ISO 3166-1 alpha-2 country codes.
//!
//! The currency table holds the active ISO 4217 codes that have a minor unit (fund and metal
//! codes such as XAU or XDR have none and are left out), plus a few codes withdrawn recently
//! that provider APIs still send (ANG, CUC, SLL, ZWL). Exponents are ISO's; a spec overrides
//! them where a provider differs (e.g. ISK or HUF with 2 decimals).

/// `(code, exponent)`, sorted by code.
#[rustfmt::skip]
pub const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2), ("AFN", 2), ("ALL", 2), ("AMD", 2), ("ANG", 2), ("AOA", 2), ("ARS", 2),
    ("AUD", 2), ("AWG", 2), ("AZN", 2), ("BAM", 2), ("BBD", 2), ("BDT", 2), ("BGN", 2),
    ("BHD", 3), ("BIF", 0), ("BMD", 2), ("BND", 2), ("BOB", 2), ("BOV", 2), ("BRL", 2),
    ("BSD", 2), ("BTN", 2), ("BWP", 2), ("BYN", 2), ("BZD", 2), ("CAD", 2), ("CDF", 2),
    ("CHE", 2), ("CHF", 2), ("CHW", 2), ("CLF", 4), ("CLP", 0), ("CNY", 2), ("COP", 2),
    ("COU", 2), ("CRC", 2), ("CUC", 2), ("CUP", 2), ("CVE", 2), ("CZK", 2), ("DJF", 0),
    ("DKK", 2), ("DOP", 2), ("DZD", 2), ("EGP", 2), ("ERN", 2), ("ETB", 2), ("EUR", 2),
    ("FJD", 2), ("FKP", 2), ("GBP", 2), ("GEL", 2), ("GHS", 2), ("GIP", 2), ("GMD", 2),
    ("GNF", 0), ("GTQ", 2), ("GYD", 2), ("HKD", 2), ("HNL", 2), ("HTG", 2), ("HUF", 2),
    ("IDR", 2), ("ILS", 2), ("INR", 2), ("IQD", 3), ("IRR", 2), ("ISK", 0), ("JMD", 2),
    ("JOD", 3), ("JPY", 0), ("KES", 2), ("KGS", 2), ("KHR", 2), ("KMF", 0), ("KPW", 2),
    ("KRW", 0), ("KWD", 3), ("KYD", 2), ("KZT", 2), ("LAK", 2), ("LBP", 2), ("LKR", 2),
    ("LRD", 2), ("LSL", 2), ("LYD", 3), ("MAD", 2), ("MDL", 2), ("MGA", 2), ("MKD", 2),
    ("MMK", 2), ("MNT", 2), ("MOP", 2), ("MRU", 2), ("MUR", 2), ("MVR", 2), ("MWK", 2),
    ("MXN", 2), ("MXV", 2), ("MYR", 2), ("MZN", 2), ("NAD", 2), ("NGN", 2), ("NIO", 2),
    ("NOK", 2), ("NPR", 2), ("NZD", 2), ("OMR", 3), ("PAB", 2), ("PEN", 2), ("PGK", 2),
    ("PHP", 2), ("PKR", 2), ("PLN", 2), ("PYG", 0), ("QAR", 2), ("RON", 2), ("RSD", 2),
    ("RUB", 2), ("RWF", 0), ("SAR", 2), ("SBD", 2), ("SCR", 2), ("SDG", 2), ("SEK", 2),
    ("SGD", 2), ("SHP", 2), ("SLE", 2), ("SLL", 2), ("SOS", 2), ("SRD", 2), ("SSP", 2),
    ("STN", 2), ("SVC", 2), ("SYP", 2), ("SZL", 2), ("THB", 2), ("TJS", 2), ("TMT", 2),
    ("TND", 3), ("TOP", 2), ("TRY", 2), ("TTD", 2), ("TWD", 2), ("TZS", 2), ("UAH", 2),
    ("UGX", 0), ("USD", 2), ("USN", 2), ("UYI", 0), ("UYU", 2), ("UYW", 4), ("UZS", 2),
    ("VED", 2), ("VES", 2), ("VND", 0), ("VUV", 0), ("WST", 2), ("XAF", 0), ("XCD", 2),
    ("XCG", 2), ("XOF", 0), ("XPF", 0), ("YER", 2), ("ZAR", 2), ("ZMW", 2), ("ZWG", 2),
    ("ZWL", 2),
];

/// The ISO 4217 minor-unit exponent of an upper-case alpha-3 code (`EUR` -> 2, `JPY` -> 0,
/// `BHD` -> 3), or `None` for a code not in the table.
#[inline]
pub fn currency_exponent(code: &str) -> Option<u8> {
    // one load from a table indexed by the three letters (no search, no string compare)
    let exponent = EXPONENT_BY_CODE[letters_index(code.as_bytes(), 3)?];
    (exponent != NO_EXPONENT).then_some(exponent)
}

/// What [`EXPONENT_BY_CODE`] holds for a code not in [`CURRENCIES`].
const NO_EXPONENT: u8 = u8::MAX;

/// Every upper-case alpha-3 code's exponent by [`letters_index`] (17,576 bytes, built at
/// compile time from [`CURRENCIES`]).
static EXPONENT_BY_CODE: [u8; 26 * 26 * 26] = {
    let mut table = [NO_EXPONENT; 26 * 26 * 26];
    let mut i = 0;
    while i < CURRENCIES.len() {
        let code = CURRENCIES[i].0.as_bytes();
        table[const_letters_index(code)] = CURRENCIES[i].1;
        i += 1;
    }
    table
};

/// Whether each upper-case alpha-2 code is in [`COUNTRIES_ALPHA2`], by [`letters_index`]
/// (built at compile time).
static IS_COUNTRY: [bool; 26 * 26] = {
    let mut table = [false; 26 * 26];
    let mut i = 0;
    while i < COUNTRIES_ALPHA2.len() {
        table[const_letters_index(COUNTRIES_ALPHA2[i].as_bytes())] = true;
        i += 1;
    }
    table
};

/// The index of a code of `len` upper-case ASCII letters in base 26, or `None` for any other
/// text.
#[inline]
fn letters_index(code: &[u8], len: usize) -> Option<usize> {
    if code.len() != len {
        return None;
    }
    code.iter().try_fold(0usize, |index, &b| {
        b.is_ascii_uppercase()
            .then(|| index * 26 + usize::from(b - b'A'))
    })
}

/// [`letters_index`] for the tables' own codes (upper case by construction; a test checks).
const fn const_letters_index(code: &[u8]) -> usize {
    let mut index = 0;
    let mut i = 0;
    while i < code.len() {
        index = index * 26 + (code[i] - b'A') as usize;
        i += 1;
    }
    index
}

/// The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted.
#[rustfmt::skip]
pub const COUNTRIES_ALPHA2: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
    "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ",
    "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK",
    "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
    "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR",
    "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
    "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN",
    "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
    "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV",
    "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ",
    "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI",
    "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
    "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC",
    "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
    "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR",
    "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 code (upper case).
#[inline]
pub fn is_country_alpha2(code: &str) -> bool {
    letters_index(code.as_bytes(), 2).is_some_and(|i| IS_COUNTRY[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_unique_and_well_formed() {
        assert!(CURRENCIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(CURRENCIES
            .iter()
            .all(|(c, e)| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) && *e <= 4));
        assert!(COUNTRIES_ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert!(COUNTRIES_ALPHA2
            .iter()
            .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
        assert_eq!(COUNTRIES_ALPHA2.len(), 249);
    }

    #[test]
    fn exponents() {
        let cases = [
            ("EUR", 2),
            ("USD", 2),
            ("GBP", 2),
            ("JPY", 0),
            ("KRW", 0),
            ("CLP", 0),
            ("ISK", 0),
            ("VND", 0),
            ("XOF", 0),
            ("BHD", 3),
            ("KWD", 3),
            ("JOD", 3),
            ("TND", 3),
            ("CLF", 4),
            ("UYW", 4),
            ("INR", 2),
        ];
        for (code, e) in cases {
            assert_eq!(currency_exponent(code), Some(e), "{code}");
        }
        for (code, e) in CURRENCIES {
            assert_eq!(currency_exponent(code), Some(*e), "{code}");
        }
        for unknown in [
            "XAU", "XDR", "eur", "EURO", "", "HRK", "ABC", "€", "AE", "ZZZ",
        ] {
            assert_eq!(currency_exponent(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn lookups_by_table_answer_what_a_search_of_the_lists_answers() {
        let letters = (b'@'..=b'[').chain([b'a', b'z', b'0', 0xC3]);
        let letters: Vec<u8> = letters.collect();
        for &a in &letters {
            for &b in &letters {
                let pair = [a, b];
                if let Ok(code) = std::str::from_utf8(&pair) {
                    assert_eq!(
                        is_country_alpha2(code),
                        COUNTRIES_ALPHA2.contains(&code),
                        "{code}"
                    );
                }
                for &c in &letters {
                    let triple = [a, b, c];
                    let Ok(code) = std::str::from_utf8(&triple) else {
                        continue;
                    };
                    let listed = CURRENCIES.iter().find(|(k, _)| *k == code).map(|(_, e)| *e);
                    assert_eq!(currency_exponent(code), listed, "{code}");
                }
            }
        }
    }

    #[test]
    fn countries() {
        for c in ["DE", "US", "GB", "IN", "AX", "BQ", "SS", "ZW"] {
            assert!(is_country_alpha2(c), "{c}");
        }
        for c in ["UK", "EU", "XK", "de", "D", "DEU", "AN", "YU"] {
            assert!(!is_country_alpha2(c), "{c}");
        }
    }
}
