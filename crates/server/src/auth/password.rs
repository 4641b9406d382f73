//! Passwords of console users: argon2id (RFC 9106) with the `argon2` crate's defaults
//! (19 MiB of memory, 2 passes, 1 lane: the first of OWASP's recommended argon2id
//! settings), stored as PHC strings with a random 16-byte salt.
//!
//! Hashing takes tens of milliseconds of CPU by design, so it runs on the blocking pool.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use parlo_model::user::{MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};
use std::sync::LazyLock;

/// Whether `password` may be set: at least [`MIN_PASSWORD_CHARS`] characters and at most
/// [`MAX_PASSWORD_BYTES`] bytes (NIST SP 800-63B §3.1.1.2: no other composition rules).
pub fn check(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(format!("must be at least {MIN_PASSWORD_CHARS} characters"))
    } else if password.len() > MAX_PASSWORD_BYTES {
        Err(format!("must be at most {MAX_PASSWORD_BYTES} bytes"))
    } else {
        Ok(())
    }
}

/// The argon2id PHC string of `password` with a new random salt.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

/// A hash no password matches, verified against when there is no user so that an unknown
/// e-mail takes as long to refuse as a wrong password (no user enumeration by timing).
static DECOY: LazyLock<String> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(crate::tokens::random_base62(32).as_bytes())
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// Whether `password` matches the PHC string `hash`; with no hash, does the same work and
/// answers `false`. A malformed stored hash is an error.
pub async fn verify(password: String, hash: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DECOY.clone());
        match Argon2::default().verify_password(password.as_bytes(), hash.as_str()) {
            Ok(()) => Ok(known),
            Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
            Err(e) => Err(anyhow::anyhow!("checking a password: {e}")),
        }
    })
    .await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_matches_only_its_hash() {
        let stored = hash("correct horse".to_owned()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$"), "{stored}");
        assert!(!stored.contains("correct horse"));
        assert!(
            verify("correct horse".to_owned(), Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("correct horsE".to_owned(), Some(stored)).await.unwrap());
        assert!(!verify("anything".to_owned(), None).await.unwrap());
        assert!(check("short").is_err());
        assert!(check(&"x".repeat(1025)).is_err());
        assert!(check("long enough").is_ok());
    }
}
