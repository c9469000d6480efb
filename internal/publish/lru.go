package publish

import (
	"container/list"
	"sync"

	"chancery/internal/store"
)

// pageKey names a page of a site.
type pageKey struct {
	site int64
	path string
}

// lru keeps the most recently served pages in memory, within a budget of
// bytes, each with the epoch of its site under which it was read.
type lru struct {
	mu     sync.Mutex
	budget int64
	used   int64
	order  *list.List // front: most recent
	items  map[pageKey]*list.Element
}

type lruEntry struct {
	key   pageKey
	epoch int64
	page  store.StoredPage
	size  int64
}

func newLRU(budget int64) *lru {
	return &lru{budget: budget, order: list.New(), items: map[pageKey]*list.Element{}}
}

// get returns the page kept for key under epoch; one kept under another
// epoch is dropped.
func (c *lru) get(key pageKey, epoch int64) (store.StoredPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return store.StoredPage{}, false
	}
	e := el.Value.(*lruEntry)
	if e.epoch != epoch {
		c.remove(el)
		return store.StoredPage{}, false
	}
	c.order.MoveToFront(el)
	return e.page, true
}

// put keeps a page, making room by dropping the least recently used.
func (c *lru) put(key pageKey, epoch int64, p store.StoredPage) {
	size := int64(len(p.Body)+len(p.Gzip)+len(p.Brotli)+len(p.Path)+len(p.ETag)+len(p.ContentType)) + 200
	if size > c.budget/8 {
		return // one page must not push out a good part of the others
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	c.items[key] = c.order.PushFront(&lruEntry{key: key, epoch: epoch, page: p, size: size})
	c.used += size
	for c.used > c.budget {
		c.remove(c.order.Back())
	}
}

func (c *lru) remove(el *list.Element) {
	e := el.Value.(*lruEntry)
	c.order.Remove(el)
	delete(c.items, e.key)
	c.used -= e.size
}

// stats reports how many pages and bytes are kept.
func (c *lru) stats() (pages int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.used
}
