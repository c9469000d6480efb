// Package auth holds the back office's cryptographic and policy building
// blocks: password hashing (argon2id), one-time codes from an
// authenticator app (TOTP), recovery codes, random tokens for cookies and
// links, CSRF tokens, and the sign-in throttling policy.
//
// It is pure: no database, no HTTP, no clock of its own (functions that
// depend on the time take it as an argument). The store keeps what these
// functions produce (hashes, secrets, counts of failures) and the admin
// handlers call them. Secrets are compared in constant time throughout.
//
// Randomness comes from crypto/rand, whose Read never fails on the systems
// Go supports (it crashes the program rather than return weak bytes), so
// the constructors here return no error.
package auth
