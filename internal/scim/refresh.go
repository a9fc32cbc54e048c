package scim

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// RefreshThreshold is how many distinct objects of one collection a
// RefreshService reads one by one (GET by id) before it looks at the size
// of the collection: a refresh of up to this many users, groups or groups'
// member lists costs exactly one request each, as without batching. It is
// Terraform's default parallelism, the size of the first wave of reads.
const RefreshThreshold = 10

// refreshListConcurrency is how many pages of a listing are fetched at
// once.
const refreshListConcurrency = 4

// membersPageSize is the count asked for per page when a listing carries
// the member lists of groups, which can be large.
const membersPageSize = 100

// RefreshService serves the reads of a Terraform refresh: many concurrent
// reads of single users, groups and groups' member lists, for one provider
// process and one operation. It only uses what every SCIM service answers,
// plain GET by id and listing with startIndex/count; group reads that do
// not need the members leave them out only once the service was shown to
// do that harmlessly (see Group), and read whole groups otherwise. Like
// renting skis until the
// rent paid equals the price, it never costs more than twice the requests
// (plus one) of reading each object with its own GET, and a few objects in
// a large collection cost exactly that:
//
//   - The first RefreshThreshold distinct objects of a collection are read
//     one by one. Concurrent reads of the same object share one request,
//     and an object read once is not read again (a group's member list
//     serves every membership of the group).
//   - After that, one read fetches the first page of the collection, which
//     tells its size and serves the reads of its own objects. When the
//     pages left to fetch are no more than the objects already read one by
//     one, the whole collection is listed (a few pages at a time) and every
//     later read is served from the listing.
//     Otherwise reads go on one by one, and the listing starts once they
//     have cost as many requests as it would. So a collection is only
//     listed whole when at least one of its objects is read per page, and
//     the objects held are at most (reads + 1) × the page size.
//   - An object absent from the listing is read by id, so that an object
//     created during the listing, or one that paging skipped, is never
//     reported gone by mistake; a failed listing falls back to reads by id.
//   - Every write through the same Client forgets what was read of its
//     collection (a group write also forgets the member lists), so a read
//     after a write goes to the service.
//
// With batching disabled every read is a GET of its own. Objects returned
// are shared between callers: do not modify them.
type RefreshService struct {
	users *collection[User]
	// groups reads groups without their members, once that is proven
	// harmless; members reads whole groups, and serves the group reads
	// until then.
	groups, members *collection[Group]
	groupsService   *GroupsService
	// groupReads counts the calls of Group, for when to probe.
	groupReads atomic.Int64
}

func newRefreshService(users *UsersService, groups *GroupsService, unbatched bool) *RefreshService {
	s := &RefreshService{
		users:         newCollection(&users.resources, nil, DefaultPageSize, unbatched),
		groups:        newCollection(&groups.resources, excludeMembers, DefaultPageSize, unbatched),
		members:       newCollection(&groups.resources, nil, membersPageSize, unbatched),
		groupsService: groups,
	}
	users.written = s.users.forget
	groups.written = func() {
		s.groups.forget()
		s.members.forget()
	}
	return s
}

// User reads a user with every attribute; transport.ErrNotFound if gone.
func (s *RefreshService) User(ctx context.Context, id string) (*User, error) {
	return s.users.get(ctx, id)
}

// Group reads a group for its own attributes; transport.ErrNotFound if
// gone. It reads whole groups, shared with GroupMembers, until the service
// was shown to leave the members out harmlessly: the read after the first
// RefreshThreshold probes that (GroupsService.probeOmitMembers), its plain
// half served like the others, so a refresh of that many groups costs one
// request more, and a smaller one none. Once proven, groups are read
// without their members (excludedAttributes=members), in a collection of
// their own. A read may return the members anyway: callers ignore them.
func (s *RefreshService) Group(ctx context.Context, id string) (*Group, error) {
	if s.groupReads.Add(1) > RefreshThreshold {
		plain := func(ctx context.Context) (*Group, error) { return s.members.get(ctx, id) }
		if g, probed, err := s.groupsService.probeOmitMembers(ctx, plain); probed {
			return g, err
		}
	}
	if s.groupsService.WithoutMembers() != nil {
		return s.groups.get(ctx, id)
	}
	return s.members.get(ctx, id)
}

// GroupMembers reads a group with its members (a plain GET
// /Groups/{id}: an attributes=members selection saves little, and one
// service strips the members' sub-attributes under it);
// transport.ErrNotFound if the group is gone.
func (s *RefreshService) GroupMembers(ctx context.Context, id string) (*Group, error) {
	return s.members.get(ctx, id)
}

// HasMember reports whether the user is a member of the group, from the
// group's member list (GroupMembers, or the listing). Every SCIM service
// answers that, while a filter such as `id eq "…" and members[value eq
// "…"]` may be refused by Secure Access. The answer grows with the group,
// about 200 bytes per member. A group that is gone is
// transport.ErrNotFound.
func (s *RefreshService) HasMember(ctx context.Context, groupID, userID string) (bool, error) {
	g, err := s.GroupMembers(ctx, groupID)
	if err != nil {
		return false, err
	}
	for _, m := range g.Members {
		if m.Value == userID {
			return true, nil
		}
	}
	return false, nil
}

// flight is one request whose result several reads share.
type flight[V any] struct {
	done chan struct{}
	v    V
	err  error
}

func newFlight[V any]() *flight[V] { return &flight[V]{done: make(chan struct{})} }

// finish records the result and releases the waiters.
func (f *flight[V]) finish(v V, err error) {
	f.v, f.err = v, err
	close(f.done)
}

// wait returns the result, or the context's error first.
func (f *flight[V]) wait(ctx context.Context) (V, error) {
	select {
	case <-f.done:
		return f.v, f.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// collection serves the reads of one resource type with one attribute
// selection.
type collection[T any] struct {
	r        *resources[T]
	sel      *GetOptions
	pageSize int
	// unbatched reads every object with its own GET, nothing kept.
	unbatched bool

	mu sync.Mutex
	// one holds the objects read by id, by id.
	one map[string]*flight[*T]
	// probe is the first page of the listing, once asked for; probed
	// holds its objects by id once it came, so that they are not read
	// again by id when the rest is not listed.
	probe  *flight[*ListResponse[T]]
	probed map[string]*T
	// all is the whole listing, by id, once started.
	all *flight[map[string]*T]
	// noList is set when a listing failed: reads stay one by one.
	noList bool
}

func newCollection[T any](r *resources[T], sel *GetOptions, pageSize int, unbatched bool) *collection[T] {
	return &collection[T]{r: r, sel: sel, pageSize: pageSize, unbatched: unbatched, one: map[string]*flight[*T]{}}
}

// forget drops everything read; reads in flight finish for their callers.
func (c *collection[T]) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.one = map[string]*flight[*T]{}
	c.probe, c.probed, c.all, c.noList = nil, nil, nil, false
}

// step is what a read does next.
type step int

const (
	stepByID step = iota
	stepProbe
	stepWaitProbe
	stepList
	stepWaitList
)

// get reads the object id.
func (c *collection[T]) get(ctx context.Context, id string) (*T, error) {
	if c.unbatched {
		return c.r.Get(ctx, id, c.sel)
	}
	for {
		c.mu.Lock()
		if f, ok := c.one[id]; ok {
			c.mu.Unlock()
			return f.wait(ctx)
		}
		if v, ok := c.probed[id]; ok {
			c.mu.Unlock()
			return v, nil
		}
		next, probe, all := c.next()
		switch next {
		case stepProbe:
			probe = newFlight[*ListResponse[T]]()
			c.probe = probe
			c.mu.Unlock()
			page, err := c.r.List(ctx, c.listOptions(1))
			if err == nil {
				c.mu.Lock()
				if c.probe == probe { // not forgotten meanwhile
					c.probed = make(map[string]*T, len(page.Resources))
					c.index(c.probed, page.Resources)
				}
				c.mu.Unlock()
			}
			probe.finish(page, err)
			continue
		case stepWaitProbe:
			c.mu.Unlock()
			if _, err := probe.wait(ctx); err != nil && ctx.Err() != nil {
				return nil, err
			}
			continue
		case stepList:
			all = newFlight[map[string]*T]()
			c.all = all
			c.mu.Unlock()
			// next saw the probe done without error: its page is there. (Its
			// wait could return the context's error instead, and no page.)
			all.finish(c.list(ctx, probe.v))
			continue
		case stepWaitList:
			c.mu.Unlock()
			byID, err := all.wait(ctx)
			if err == nil {
				if v, ok := byID[id]; ok {
					return v, nil
				}
			} else if ctx.Err() != nil {
				return nil, err
			}
			// Absent from the listing, or the listing failed: by id.
			c.mu.Lock()
		}
		return c.byID(ctx, id) // unlocks c.mu
	}
}

// next decides, with c.mu held, whether a read of an object not yet read
// by id is served by id or by the listing, and which flight to use.
func (c *collection[T]) next() (step, *flight[*ListResponse[T]], *flight[map[string]*T]) {
	switch {
	case c.noList:
		return stepByID, nil, nil
	case c.all != nil:
		select {
		case <-c.all.done:
			if c.all.err != nil {
				c.noList = true
				return stepByID, nil, nil
			}
		default:
		}
		return stepWaitList, nil, c.all
	case len(c.one) < RefreshThreshold:
		return stepByID, nil, nil
	case c.probe == nil:
		return stepProbe, nil, nil
	}
	select {
	case <-c.probe.done:
	default:
		return stepWaitProbe, c.probe, nil
	}
	if c.probe.err != nil {
		c.noList = true
		return stepByID, nil, nil
	}
	if pagesLeft(c.probe.v) <= len(c.one) {
		return stepList, c.probe, nil
	}
	return stepByID, nil, nil
}

// byID reads one object with its own GET, shared with concurrent reads of
// the same object. It is called with c.mu held and unlocks it.
func (c *collection[T]) byID(ctx context.Context, id string) (*T, error) {
	if f, ok := c.one[id]; ok {
		c.mu.Unlock()
		return f.wait(ctx)
	}
	f := newFlight[*T]()
	one := c.one
	one[id] = f
	c.mu.Unlock()
	v, err := c.r.Get(ctx, id, c.sel)
	f.finish(v, err)
	if err != nil && !errors.Is(err, transport.ErrNotFound) {
		// Not kept: a later read asks again.
		c.mu.Lock()
		if one[id] == f {
			delete(one, id)
		}
		c.mu.Unlock()
	}
	return v, err
}

// listOptions is the listing's page from startIndex on.
func (c *collection[T]) listOptions(startIndex int) *ListOptions {
	o := &ListOptions{StartIndex: startIndex, Count: c.pageSize}
	if c.sel != nil {
		o.Attributes, o.ExcludedAttributes = c.sel.Attributes, c.sel.ExcludedAttributes
	}
	return o
}

// pagesLeft is how many more pages of the size of the first one the rest
// of the collection takes.
func pagesLeft[T any](first *ListResponse[T]) int {
	n := len(first.Resources)
	if n == 0 || first.TotalResults <= n {
		return 0
	}
	rest := first.TotalResults - n
	return (rest + n - 1) / n // rounded up
}

// list fetches the pages after the first, refreshListConcurrency at a
// time, each as large as the first (the service's page size), and returns
// every object by id. A page shorter than asked is continued from where it
// ended, so nothing the service counts is skipped.
func (c *collection[T]) list(ctx context.Context, first *ListResponse[T]) (map[string]*T, error) {
	n, total := len(first.Resources), first.TotalResults
	pages := [][]T{first.Resources}
	if n > 0 {
		for start := n + 1; start <= total; start += n {
			pages = append(pages, nil)
		}
	}
	errs := make([]error, len(pages))
	sem := make(chan struct{}, refreshListConcurrency)
	var wg sync.WaitGroup
	for i := 1; i < len(pages); i++ {
		start, end := 1+i*n, min(total, (i+1)*n) // the 1-based range of page i
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			for start <= end {
				o := c.listOptions(start)
				o.Count = end - start + 1
				resp, err := c.r.List(ctx, o)
				if err != nil {
					errs[i] = err
					return
				}
				if len(resp.Resources) == 0 {
					return // the collection shrank: the rest is read by id
				}
				pages[i] = append(pages[i], resp.Resources...)
				start += len(resp.Resources)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	byID := make(map[string]*T, total)
	for _, page := range pages {
		c.index(byID, page)
	}
	return byID, nil
}

// index adds objects to byID, by id.
func (c *collection[T]) index(byID map[string]*T, objects []T) {
	for i := range objects {
		if id := c.r.idOf(&objects[i]); id != "" {
			byID[id] = &objects[i]
		}
	}
}
