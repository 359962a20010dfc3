//! Token auth: bearer tokens from the provider's token endpoint (OAuth2 client credentials,
//! RFC 6749 §4.4), cached until shortly before they expire, refreshed once after a 401.
//!
//! The token is a [`crate::Secret`]: it never shows in Debug output, errors or traces. It is
//! added as `Authorization: Bearer …` when a request is sent (after preparation and signing),
//! so a dry run (`Engine::prepare`) shows no token.
//!
//! **Why one resend after a 401 is safe, even for money-moving operations:** a provider checks
//! authentication before it acts on a request; a 401 answer says the request was refused for
//! its credentials, so nothing happened. The engine then fetches a fresh token and sends the
//! same request once more. A second 401 is reported as it is (no loop), and any other answer
//! to the resend is classified as usual.

#[cfg(feature = "transport")]
pub(crate) mod token;

#[cfg(feature = "transport")]
pub(crate) use token::TokenCache;

/// How the client proves itself at the token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientAuth {
    /// HTTP Basic with the form-encoded client id and secret (the RFC's preferred way).
    Basic,
    /// `client_id` and `client_secret` as form fields of the token request.
    Body,
}

/// Where and how to get a bearer token: a POST of `grant_type=client_credentials` to the
/// token endpoint. Names are credential names, never values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OAuth2ClientCredentials {
    /// Host name key into the engine's base URLs (`"default"` for the main one).
    pub host: &'static str,
    /// Path of the token endpoint below that base URL.
    pub path: &'static str,
    /// Credential holding the client id.
    pub client_id: &'static str,
    /// Credential holding the client secret.
    pub client_secret: &'static str,
    /// Scope to ask for (space-separated), if the provider wants one.
    pub scope: Option<&'static str>,
    /// How the client id and secret travel.
    pub client_auth: ClientAuth,
}
