package site

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"chancery/internal/content"
	"chancery/internal/mail"
	"chancery/internal/store"
	"chancery/internal/web"
)

// ShareOptions configure "suggest to a friend" by e-mail.
type ShareOptions struct {
	// From is the address suggestions are sent from. Empty turns the form
	// off: readers get a mailto: link that opens their own mail program.
	From string
	// PerClient, PerRecipient and PerSite are how many messages may be
	// queued in any hour from one client address, to one recipient, and
	// by one site. Zero means the defaults: 10, 3 and 200.
	PerClient, PerRecipient, PerSite int
	// MinAge and MaxAge bound how long a form may take to fill in: one
	// sent sooner was not filled in by a person, one sent later has
	// expired. Zero means 3 seconds and 2 hours.
	MinAge, MaxAge time.Duration
	// Limit sheds floods of form posts per client address before they
	// reach the database. Optional.
	Limit *web.Limiter
	// Wake tells the outbox worker that messages are waiting. Optional.
	Wake func()
}

// MaxRecipients is how many friends one suggestion may go to.
const MaxRecipients = 3

func (o *ShareOptions) defaults() {
	if o.PerClient <= 0 {
		o.PerClient = 10
	}
	if o.PerRecipient <= 0 {
		o.PerRecipient = 3
	}
	if o.PerSite <= 0 {
		o.PerSite = 200
	}
	if o.MinAge <= 0 {
		o.MinAge = 3 * time.Second
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 2 * time.Hour
	}
}

// formKey is the network's key for form tokens and client identities,
// read once from the store, which makes it on first use.
type formKey struct {
	mu  sync.Mutex
	key []byte
}

func (k *formKey) get(ctx context.Context, st store.Store) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, nil
	}
	key, err := st.Mail().Secret(ctx, "share-form", func() []byte {
		b := make([]byte, 32)
		rand.Read(b)
		return b
	})
	if err != nil {
		return nil, err
	}
	k.key = key
	return key, nil
}

// A form token: issue time, article ID, a random nonce (which makes the
// token single-use), then a MAC over those and the language.
const (
	tokenBody = 8 + 8 + 12
	tokenMAC  = 16
)

func tokenMACOf(key []byte, lang string, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("share|" + lang + "|"))
	m.Write(body)
	return m.Sum(nil)[:tokenMAC]
}

func newToken(key []byte, lang string, articleID int64, now time.Time) string {
	b := make([]byte, tokenBody, tokenBody+tokenMAC)
	binary.BigEndian.PutUint64(b[0:], uint64(now.Unix()))
	binary.BigEndian.PutUint64(b[8:], uint64(articleID))
	rand.Read(b[16:])
	return base64.RawURLEncoding.EncodeToString(append(b, tokenMACOf(key, lang, b)...))
}

// Reasons a form is refused; each has a message in every language.
var (
	errFormForged   = errors.New("form token forged or damaged")
	errCrossSite    = errors.New("form sent from another site")
	errFormTooFast  = errors.New("form sent too fast")
	errFormExpired  = errors.New("form expired")
	errFormReused   = errors.New("form sent twice")
	errFormTrap     = errors.New("honeypot filled in")
	errFormTooLarge = errors.New("form too large")
	errFormEncoding = errors.New("form text not UTF-8")
	errNoRecipient  = errors.New("no recipient")
	errTooManyRcpt  = errors.New("too many recipients")
	errRecipient    = errors.New("bad recipient")
	errSenderName   = errors.New("bad sender name")
	errSenderAddr   = errors.New("bad sender address")
	errLimitClient  = errors.New("client limit reached")
	errLimitRcpt    = errors.New("recipient limit reached")
	errLimitSite    = errors.New("site limit reached")
)

// checkToken returns the token's nonce part (what UseToken records) and
// when the token expires, or why it is refused.
func checkToken(key []byte, lang string, articleID int64, token string, now time.Time, minAge, maxAge time.Duration) (string, time.Time, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != tokenBody+tokenMAC {
		return "", time.Time{}, errFormForged
	}
	body, mac := raw[:tokenBody], raw[tokenBody:]
	if !hmac.Equal(mac, tokenMACOf(key, lang, body)) || int64(binary.BigEndian.Uint64(body[8:])) != articleID {
		return "", time.Time{}, errFormForged
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(body[0:])), 0)
	switch age := now.Sub(issued); {
	case age < minAge:
		return "", time.Time{}, errFormTooFast
	case age > maxAge:
		return "", time.Time{}, errFormExpired
	}
	return hex.EncodeToString(body[16:]), issued.Add(maxAge), nil
}

// clientKey names a client address in the outbox without storing it.
func clientKey(key []byte, r *http.Request) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("client|" + web.ClientAddr(r)))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// isSharePath reports whether a path is a share form's: /{lang}/share/{id}/.
func isSharePath(path string) bool {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	return len(segs) == 3 && segs[1] == "share" && strings.HasSuffix(path, "/")
}

// shareURL is the address of an article's share form.
func shareURL(a content.Article) string {
	return "/" + a.Language + "/share/" + strconv.FormatInt(a.ID, 10) + "/"
}

// shareLink is where an article's "suggest to a friend" leads: the form,
// or, when the site sends no mail, a mailto: link for the reader's own
// mail program.
func (h *Handler) shareLink(sr siteRequest, a content.Article, canonical string) string {
	if h.share.From == "" {
		return mailto(a.Title, labelsFor(sr.lang).SuggestBody+"\r\n\r\n"+a.Title+"\r\n"+canonical)
	}
	return shareURL(a)
}

type shareView struct {
	Title, ArticleURL, Intro string
	// Action is where the form posts: its own address.
	Action string
	// Mailto is set when the site sends no mail itself.
	Mailto string
	// Sent is how many messages were queued, after a successful post.
	Sent    int
	Message string
	Token   string
	To      [MaxRecipients]string
	Name    string
	From    string
	// Invalid names the fields the message is about.
	Invalid map[string]bool
}

// sharePage serves an article's share form (GET) and takes it (POST).
func (h *Handler) sharePage(w http.ResponseWriter, r *http.Request, sr siteRequest, idText string) error {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != idText {
		return errNoPage
	}
	a, err := h.store.Article(r.Context(), id)
	if err != nil {
		return err
	}
	if a.SiteID != sr.site.ID || a.Language != sr.lang || !a.Visible(h.now()) {
		return errNoPage
	}
	L := labelsFor(sr.lang)
	self := shareURL(a)
	p := h.chrome(sr, a.SectionID, self)
	p.Canonical = ""
	p.Title = L.ShareTitle + ": " + a.Title + " – " + sr.site.Name(sr.lang)
	p.Breadcrumb = append(h.crumbs(sr, a.SectionID, true), link{Name: a.Title, URL: a.Path}, link{Name: L.ShareTitle})
	p.Robots = "noindex"
	v := shareView{Title: a.Title, ArticleURL: a.Path, Action: self}
	canonical := sr.origin + a.Path
	if h.share.From == "" {
		if r.Method == http.MethodPost {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "This site sends no e-mail: use the link on this page to write from your own mail program.", http.StatusMethodNotAllowed)
			return nil
		}
		v.Mailto = h.shareLink(sr, a, canonical)
		v.Intro = L.ShareNoMail
		p.Body = v
		return h.renderWith(w, r, http.StatusOK, "share", p, "public, max-age=60")
	}
	key, err := h.shareKey.get(r.Context(), h.store)
	if err != nil {
		return err
	}
	v.Intro = L.ShareIntro
	status := http.StatusOK
	if r.Method == http.MethodPost {
		var n int
		n, err = h.takeShare(w, r, sr, a, key, &v)
		if err == nil {
			http.Redirect(w, r, self+"?sent="+strconv.Itoa(n), http.StatusSeeOther)
			return nil
		}
		status, v.Message = shareRefusal(L, err)
		if status == 0 {
			return err
		}
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "3600")
		}
	} else if n, err := strconv.Atoi(r.URL.Query().Get("sent")); err == nil && n >= 1 && n <= MaxRecipients {
		v.Sent = n
		v.Message = L.ShareSentOne
		if n > 1 {
			v.Message = fmt.Sprintf(L.ShareSent, n)
		}
	}
	v.Token = newToken(key, sr.lang, a.ID, h.now())
	p.Body = v
	return h.renderWith(w, r, status, "share", p, "no-store")
}

// takeShare checks a posted form and queues its messages; it returns how
// many, or why it refused them (a form error, or another failure).
func (h *Handler) takeShare(w http.ResponseWriter, r *http.Request, sr siteRequest, a content.Article, key []byte, v *shareView) (int, error) {
	// A form posted by another site's page (whose script fetched a
	// token) would send the mission's mail from its visitors' browsers.
	if sameOrigin.Check(r) != nil {
		return 0, errCrossSite
	}
	if h.share.Limit != nil {
		if ok, _ := h.share.Limit.Allow(web.ClientAddr(r)); !ok {
			return 0, errLimitClient
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return 0, errFormTooLarge
	}
	for _, vals := range r.PostForm {
		for _, s := range vals {
			if !utf8.ValidString(s) {
				return 0, errFormEncoding
			}
		}
	}
	// Keep what the reader typed, so a refused form need not be retyped.
	var to []string
	for _, s := range r.PostForm["to"] {
		if s = strings.TrimSpace(s); s != "" {
			to = append(to, s)
		}
	}
	for i := range min(len(to), MaxRecipients) {
		v.To[i] = clip(to[i], 254)
	}
	v.Name, v.From = clip(strings.TrimSpace(r.PostForm.Get("name")), 60), clip(strings.TrimSpace(r.PostForm.Get("from")), 254)
	v.Invalid = map[string]bool{}

	if r.PostForm.Get("website") != "" {
		return 0, errFormTrap
	}
	now := h.now()
	nonce, expires, err := checkToken(key, sr.lang, a.ID, r.PostForm.Get("token"), now, h.share.MinAge, h.share.MaxAge)
	if err != nil {
		return 0, err
	}
	switch {
	case len(to) == 0:
		v.Invalid["to"] = true
		return 0, errNoRecipient
	case len(to) > MaxRecipients:
		v.Invalid["to"] = true
		return 0, errTooManyRcpt
	}
	var rcpts, keys []string
	for _, s := range to {
		addr, err := mail.ParseAddress(s)
		if err != nil {
			v.Invalid["to"] = true
			return 0, fmt.Errorf("%w: %q", errRecipient, clip(s, 80))
		}
		if k := recipientKey(addr); !slices.Contains(keys, k) {
			rcpts, keys = append(rcpts, addr), append(keys, k)
		}
	}
	name, err := mail.CheckName(r.PostForm.Get("name"))
	if err != nil {
		v.Invalid["name"] = true
		return 0, fmt.Errorf("%w: %w", errSenderName, err)
	}
	var from string
	if s := strings.TrimSpace(r.PostForm.Get("from")); s != "" {
		if from, err = mail.ParseAddress(s); err != nil {
			v.Invalid["from"] = true
			return 0, errSenderAddr
		}
	}
	sug := mail.Suggestion{Language: sr.lang, SiteName: sr.site.Name(sr.lang), SenderName: name, SenderAddress: from,
		Title: a.Title, Summary: a.Summary, URL: sr.origin + a.Path}
	client := clientKey(key, r)
	hour := now.Add(-time.Hour)
	err = h.store.InTx(r.Context(), func(q store.Queries) error {
		mq := q.Mail()
		if err := mq.UseToken(r.Context(), nonce, expires, now); errors.Is(err, content.ErrConflict) {
			return errFormReused
		} else if err != nil {
			return err
		}
		n, err := mq.CountMail(r.Context(), store.MailLimit{SiteID: sr.site.ID, Client: client, Since: hour})
		if err != nil {
			return err
		}
		if n+len(rcpts) > h.share.PerClient {
			return errLimitClient
		}
		if n, err = mq.CountMail(r.Context(), store.MailLimit{SiteID: sr.site.ID, Since: hour}); err != nil {
			return err
		}
		if n+len(rcpts) > h.share.PerSite {
			return errLimitSite
		}
		for i, to := range rcpts {
			// One person, however the address is written, from any site
			// of the network.
			if n, err = mq.CountMail(r.Context(), store.MailLimit{Recipient: keys[i], Since: hour}); err != nil {
				return err
			}
			if n+1 > h.share.PerRecipient {
				return errLimitRcpt
			}
			msg, err := sug.Compose(mail.Address{Name: sug.SiteName, Addr: h.share.From}, to, now, messageID(h.share.From))
			if err != nil {
				return fmt.Errorf("compose a suggestion of article %d: %w", a.ID, err)
			}
			if _, err := mq.QueueMail(r.Context(), store.Mail{SiteID: sr.site.ID, ArticleID: a.ID, Client: client,
				From: h.share.From, To: to, RecipientKey: keys[i], Message: msg, CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if h.share.Wake != nil {
		h.share.Wake()
	}
	return len(rcpts), nil
}

// sameOrigin refuses form posts a browser says came from another site
// (Sec-Fetch-Site, or an Origin of another host).
var sameOrigin = http.NewCrossOriginProtection()

// recipientKey is what the per-recipient limit counts for an address
// (already checked by mail.ParseAddress): lower-cased, without a "+tag"
// after the local part, which most providers deliver to the same mailbox,
// and for Gmail without the dots it ignores (googlemail.com is gmail.com).
func recipientKey(addr string) string {
	local, domain, _ := strings.Cut(strings.ToLower(addr), "@")
	if base, _, ok := strings.Cut(local, "+"); ok && base != "" {
		local = base
	}
	switch domain {
	case "gmail.com", "googlemail.com":
		if undotted := strings.ReplaceAll(local, ".", ""); undotted != "" {
			local, domain = undotted, "gmail.com"
		}
	}
	return local + "@" + domain
}

// messageID makes a unique Message-ID on the sending address's domain.
func messageID(from string) string {
	b := make([]byte, 12)
	rand.Read(b)
	_, domain, _ := strings.Cut(from, "@")
	return hex.EncodeToString(b) + "@" + domain
}

// shareRefusal is the status and message, in the page's language, for a
// refused form; status 0 means err is not the reader's doing.
func shareRefusal(L Labels, err error) (int, string) {
	var detail string
	if _, after, ok := strings.Cut(err.Error(), ": "); ok {
		detail = after
	}
	switch {
	case errors.Is(err, errFormForged), errors.Is(err, errFormReused), errors.Is(err, errFormTrap):
		return http.StatusBadRequest, L.ShareErrForm
	case errors.Is(err, errCrossSite):
		return http.StatusForbidden, L.ShareErrForm
	case errors.Is(err, errFormTooFast):
		return http.StatusBadRequest, L.ShareErrTooFast
	case errors.Is(err, errFormExpired):
		return http.StatusBadRequest, L.ShareErrExpired
	case errors.Is(err, errFormTooLarge), errors.Is(err, errFormEncoding):
		return http.StatusBadRequest, L.ShareErrText
	case errors.Is(err, errNoRecipient):
		return http.StatusBadRequest, L.ShareErrNoRecipient
	case errors.Is(err, errTooManyRcpt):
		return http.StatusBadRequest, fmt.Sprintf(L.ShareErrTooMany, MaxRecipients)
	case errors.Is(err, errRecipient):
		return http.StatusBadRequest, fmt.Sprintf(L.ShareErrAddress, strings.Trim(detail, `"`))
	case errors.Is(err, errSenderName):
		return http.StatusBadRequest, L.ShareErrName
	case errors.Is(err, errSenderAddr):
		return http.StatusBadRequest, L.ShareErrFrom
	case errors.Is(err, errLimitClient):
		return http.StatusTooManyRequests, L.ShareErrLimitClient
	case errors.Is(err, errLimitRcpt):
		return http.StatusTooManyRequests, L.ShareErrLimitRecipient
	case errors.Is(err, errLimitSite):
		return http.StatusTooManyRequests, L.ShareErrLimitSite
	}
	return 0, ""
}

// clip cuts s to at most n bytes at a character boundary, for echoing
// input back into a form.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
