// Package mail writes and sends the "suggest an article to a friend"
// messages.
//
// Everything a reader can type into the public form passes through this
// package: ParseAddress checks one recipient or sender address, CheckName the
// sender's name. Suggestion.Compose writes a fixed message around them (title,
// summary, link and name, in English or Chinese) as a 7-bit RFC 5322 message,
// and Config.Send hands it to an SMTP server with the standard library's
// net/smtp. Permanent tells the delivery worker whether a failed send is worth
// retrying.
//
// The package is deliberately strict: the form must not become a way to send
// arbitrary text, links or headers to strangers under the mission's name.
package mail
