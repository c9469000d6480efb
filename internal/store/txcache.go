package store

import "chancery/internal/content"

// TxCache remembers, for one transaction, the sites and section trees
// that article writes look up again and again (a bulk load writes
// thousands of articles of one site). Engines clear it on every write to
// sites or sections. A nil *TxCache remembers nothing, which is what an
// engine uses outside transactions. It is for one goroutine, like the
// transaction.
type TxCache struct {
	sites map[int64]content.Site
	trees map[int64]content.Tree
}

// NewTxCache returns an empty cache.
func NewTxCache() *TxCache {
	return &TxCache{sites: map[int64]content.Site{}, trees: map[int64]content.Tree{}}
}

// Forget clears the cache.
func (c *TxCache) Forget() {
	if c != nil {
		clear(c.sites)
		clear(c.trees)
	}
}

// Site returns the remembered site, or loads and remembers it.
func (c *TxCache) Site(id int64, load func() (content.Site, error)) (content.Site, error) {
	return remember(c, func(c *TxCache) map[int64]content.Site { return c.sites }, id, load)
}

// Tree returns the remembered section tree of a site, or loads and
// remembers it.
func (c *TxCache) Tree(siteID int64, load func() (content.Tree, error)) (content.Tree, error) {
	return remember(c, func(c *TxCache) map[int64]content.Tree { return c.trees }, siteID, load)
}

func remember[V any](c *TxCache, m func(*TxCache) map[int64]V, id int64, load func() (V, error)) (V, error) {
	if c != nil {
		if v, ok := m(c)[id]; ok {
			return v, nil
		}
	}
	v, err := load()
	if err == nil && c != nil {
		m(c)[id] = v
	}
	return v, err
}
