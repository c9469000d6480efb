package admin

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"chancery/internal/account"
	"chancery/internal/auth"
	"chancery/internal/store"
)

// keyedMutex serialises work per key, holding no memory for keys not in
// use.
type keyedMutex struct {
	mu   sync.Mutex
	keys map[string]*keyLock
}

type keyLock struct {
	sync.Mutex
	users int
}

// lock takes the key's lock and returns its release.
func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	if k.keys == nil {
		k.keys = map[string]*keyLock{}
	}
	l := k.keys[key]
	if l == nil {
		l = &keyLock{}
		k.keys[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.keys, key)
		}
		k.mu.Unlock()
	}
}

// attempt runs check — a password or a code — for an account under the
// sign-in throttle. Each attempt is counted as a failure under the account
// and the client's address before it is checked, and withdrawn when the
// check succeeds: attempts sent at once to several processes see each
// other. Within a process one account's attempts are made one at a time,
// so a burst cannot all be checked before the first is counted. It
// returns how long to wait when the attempt was refused unchecked.
func (h *Handler) attempt(ctx context.Context, r *http.Request, email string, userID int64, what string, check func() (bool, error)) (ok bool, wait time.Duration, err error) {
	userKey, addrKey := "user:"+email, "addr:"+addressKey(clientAddress(r))
	defer h.gate.lock(userKey)()
	if wait, err = h.throttled(ctx, userKey, addrKey); err != nil || wait > 0 {
		return false, wait, err
	}
	at := h.now()
	keys := []string{userKey, addrKey}
	err = h.opt.Store.InTx(ctx, func(q store.Queries) error {
		for _, key := range keys {
			if _, err := q.Accounts().SignInFailure(ctx, key, at, at.Add(-auth.Window)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, 0, err
	}
	// The check's outcome is recorded even when the request is abandoned
	// meanwhile.
	ctx = context.WithoutCancel(ctx)
	if ok, err = check(); err != nil {
		return false, 0, err
	}
	if ok {
		return true, 0, h.opt.Store.InTx(ctx, func(q store.Queries) error {
			for _, key := range keys {
				if err := q.Accounts().WithdrawSignInFailure(ctx, key, at); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return false, 0, h.opt.Store.Accounts().Audit(ctx, store.AuditEntry{At: at, UserID: userID, Email: email, Action: "sign-in-failed",
		Detail: what, Address: clientAddress(r)})
}

// addressKey is the part of a client address that the throttle counts:
// the address itself, or for IPv6 its /64, which one household or office
// is given whole.
func addressKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}

// errUnchanged stops an editUser whose change turned out not to apply.
var errUnchanged = errors.New("unchanged")

// editUser changes a user as stored now, in one transaction: re-read, so
// that two changes at once (a password change and a disable on the
// command line, two codes racing) never undo each other. change returning
// errUnchanged writes nothing.
func (h *Handler) editUser(ctx context.Context, id int64, change func(q store.Queries, u *account.User) error) (account.User, error) {
	var u account.User
	err := h.opt.Store.InTx(ctx, func(q store.Queries) error {
		var err error
		if u, err = q.Accounts().User(ctx, id); err != nil {
			return err
		}
		if err := change(q, &u); err != nil {
			return err
		}
		return q.Accounts().UpdateUser(ctx, u)
	})
	return u, err
}
