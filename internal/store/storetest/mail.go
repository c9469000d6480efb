package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
)

func queue(t *testing.T, q store.Queries, site content.Site, to, client string, at time.Time) store.Mail {
	t.Helper()
	m, err := q.Mail().QueueMail(context.Background(), store.Mail{SiteID: site.ID, ArticleID: 1, Client: client,
		From: "news@example.org", To: to, Message: []byte("Subject: hi\r\n\r\nhello\r\n"), CreatedAt: at})
	if err != nil {
		t.Fatalf("QueueMail(%s): %v", to, err)
	}
	return m
}

// testOutbox follows messages through delivery, retries and failure, and
// checks that a held message is not handed to a second worker before its
// lease ends.
func testOutbox(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := queue(t, s, site, "a@example.org", "c1", t0)
	b := queue(t, s, site, "b@example.org", "c1", t0.Add(time.Second))
	c := queue(t, s, site, "c@example.org", "c2", t0.Add(2*time.Second))
	mq := s.Mail()
	if _, err := mq.QueueMail(ctx, store.Mail{SiteID: site.ID, To: "x@example.org"}); err == nil {
		t.Fatal("QueueMail without sender and body succeeded")
	}

	if got, err := mq.ClaimMail(ctx, t0.Add(-time.Minute), time.Minute, 10); err != nil || len(got) != 0 {
		t.Fatalf("ClaimMail before anything is due = %d messages, %v; want none", len(got), err)
	}
	now := t0.Add(time.Minute)
	first, err := mq.ClaimMail(ctx, now, time.Minute, 2)
	if err != nil || len(first) != 2 || first[0].ID != a.ID || first[1].ID != b.ID {
		t.Fatalf("ClaimMail(2) = %+v, %v; want a and b, oldest first", first, err)
	}
	if first[0].Attempts != 1 || string(first[0].Message) != "Subject: hi\r\n\r\nhello\r\n" || first[0].To != "a@example.org" {
		t.Fatalf("claimed message = %+v; want one attempt and the stored message", first[0])
	}
	second, err := mq.ClaimMail(ctx, now, time.Minute, 10)
	if err != nil || len(second) != 1 || second[0].ID != c.ID {
		t.Fatalf("a second worker's ClaimMail = %+v, %v; want only c (a and b are held)", second, err)
	}
	if err := mq.MailDelivered(ctx, first[0], now); err != nil {
		t.Fatalf("MailDelivered: %v", err)
	}
	if err := mq.MailDelivered(ctx, first[0], now); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("MailDelivered twice: %v; want ErrNotFound", err)
	}
	if err := mq.MailRetry(ctx, first[1], now.Add(5*time.Minute), "451 try later"); err != nil {
		t.Fatalf("MailRetry: %v", err)
	}
	if err := mq.MailFailed(ctx, second[0], now, "550 no such user"); err != nil {
		t.Fatalf("MailFailed: %v", err)
	}
	counts, err := mq.MailCounts(ctx, site.ID)
	if err != nil || counts != (store.MailCounts{Retrying: 1, Delivered: 1, Failed: 1}) {
		t.Fatalf("MailCounts = %+v, %v; want 1 retrying, 1 delivered, 1 failed", counts, err)
	}
	if got, _ := mq.ClaimMail(ctx, now.Add(4*time.Minute), time.Minute, 10); len(got) != 0 {
		t.Fatalf("the retried message was claimed before its time: %+v", got)
	}
	again, err := mq.ClaimMail(ctx, now.Add(5*time.Minute), time.Minute, 10)
	if err != nil || len(again) != 1 || again[0].ID != b.ID || again[0].Attempts != 2 || again[0].LastError != "451 try later" {
		t.Fatalf("ClaimMail after the back-off = %+v, %v; want b on its second attempt", again, err)
	}
	// The worker holding b dies: once the lease is over, another takes it.
	if got, _ := mq.ClaimMail(ctx, now.Add(5*time.Minute+30*time.Second), time.Minute, 10); len(got) != 0 {
		t.Fatalf("a held message was claimed during its lease: %+v", got)
	}
	late, _ := mq.ClaimMail(ctx, now.Add(6*time.Minute+time.Second), time.Minute, 10)
	if len(late) != 1 || late[0].Attempts != 3 {
		t.Fatalf("after the lease ended ClaimMail = %+v; want b again", late)
	}
	// The first holder comes back after its lease: its word no longer
	// counts, and the new holder keeps the message.
	if err := mq.MailRetry(ctx, again[0], now, "late"); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("a settle under an expired claim = %v; want ErrNotFound", err)
	}
	if got, _ := mq.ClaimMail(ctx, now.Add(6*time.Minute+2*time.Second), time.Minute, 10); len(got) != 0 {
		t.Fatalf("the message was claimed again while its new holder has it: %+v", got)
	}
	if err := mq.MailDelivered(ctx, late[0], now.Add(6*time.Minute+3*time.Second)); err != nil {
		t.Fatalf("the new holder's MailDelivered: %v", err)
	}
	if n, err := mq.PurgeMail(ctx, now.Add(time.Hour)); err != nil || n != 3 {
		t.Fatalf("PurgeMail = %d, %v; want the 3 settled messages", n, err)
	}
	if n, _ := mq.CountMail(ctx, store.MailLimit{Since: t0, Recipient: "a@example.org"}); n != 0 {
		t.Fatal("a purged message still names its recipient")
	}
	if all, err := mq.MailCounts(ctx, 0); err != nil || all.Delivered != 2 || all.Failed != 1 {
		t.Fatalf("MailCounts(all sites) = %+v, %v", all, err)
	}
}

// testOutboxLimits counts queued messages per site, recipient and client,
// inside a transaction as the share form does.
func testOutboxLimits(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	other := mustSite(t, s, newSite("embassy", "embassy.example.org"))
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 5 {
		queue(t, s, site, fmt.Sprintf("r%d@example.org", i%2), fmt.Sprintf("client%d", i%3), t0.Add(time.Duration(i)*time.Minute))
	}
	queue(t, s, other, "r0@example.org", "client0", t0)
	for _, tt := range []struct {
		l    store.MailLimit
		want int
	}{
		{store.MailLimit{SiteID: site.ID, Since: t0}, 5},
		{store.MailLimit{SiteID: site.ID, Since: t0.Add(3 * time.Minute)}, 2},
		{store.MailLimit{SiteID: site.ID, Since: t0, Recipient: "r0@example.org"}, 3},
		{store.MailLimit{SiteID: site.ID, Since: t0, Client: "client1"}, 2},
		{store.MailLimit{SiteID: site.ID, Since: t0, Client: "client1", Recipient: "r1@example.org"}, 1},
		{store.MailLimit{SiteID: other.ID, Since: t0}, 1},
		{store.MailLimit{Since: t0, Recipient: "r0@example.org"}, 4},
	} {
		err := s.InTx(ctx, func(q store.Queries) error {
			n, err := q.Mail().CountMail(ctx, tt.l)
			if err == nil && n != tt.want {
				err = fmt.Errorf("got %d, want %d", n, tt.want)
			}
			return err
		})
		if err != nil {
			t.Errorf("CountMail(%+v): %v", tt.l, err)
		}
	}
	// A message queued in a transaction that fails is not sent.
	err := s.InTx(ctx, func(q store.Queries) error {
		queue(t, q, site, "gone@example.org", "c", t0)
		return errors.New("refused")
	})
	if err == nil {
		t.Fatal("InTx did not return fn's error")
	}
	if n, _ := s.Mail().CountMail(ctx, store.MailLimit{SiteID: site.ID, Since: t0, Recipient: "gone@example.org"}); n != 0 {
		t.Fatalf("a rolled-back message is in the outbox (%d)", n)
	}
}

func testTokensAndSecrets(t *testing.T, s store.Store) {
	ctx := context.Background()
	mq := s.Mail()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := mq.UseToken(ctx, "tok-1", t0.Add(time.Hour), t0); err != nil {
		t.Fatalf("UseToken: %v", err)
	}
	if err := mq.UseToken(ctx, "tok-1", t0.Add(time.Hour), t0.Add(time.Minute)); !errors.Is(err, content.ErrConflict) {
		t.Fatalf("UseToken again = %v; want ErrConflict", err)
	}
	if err := mq.UseToken(ctx, "tok-2", t0.Add(time.Hour), t0); err != nil {
		t.Fatalf("UseToken(another): %v", err)
	}
	// Once expired, a token is forgotten (its signature has expired too).
	if err := mq.UseToken(ctx, "tok-1", t0.Add(3*time.Hour), t0.Add(2*time.Hour)); err != nil {
		t.Fatalf("UseToken after expiry: %v", err)
	}

	calls := 0
	fresh := func() []byte { calls++; return []byte(fmt.Sprintf("key-%d", calls)) }
	k1, err := mq.Secret(ctx, "form", fresh)
	if err != nil || string(k1) != "key-1" {
		t.Fatalf("Secret = %q, %v; want a fresh key", k1, err)
	}
	k2, err := mq.Secret(ctx, "form", fresh)
	if err != nil || string(k2) != "key-1" || calls != 1 {
		t.Fatalf("Secret again = %q, %v (%d calls); want the stored key", k2, err, calls)
	}
	if k3, _ := mq.Secret(ctx, "other", fresh); string(k3) != "key-2" {
		t.Fatalf("Secret(other) = %q; want a key of its own", k3)
	}
}
