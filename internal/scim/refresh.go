package scim

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/readcache"
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
	return &RefreshService{
		users:         newCollection(&users.resources, nil, DefaultPageSize, unbatched),
		groups:        newCollection(&groups.resources, excludeMembers, DefaultPageSize, unbatched),
		members:       newCollection(&groups.resources, nil, membersPageSize, unbatched),
		groupsService: groups,
	}
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

// flight is the outcome of one request, kept for the reads it serves:
// an object read by id, the first page of the listing, the listing.
type flight[V any] struct {
	v   V
	err error
}

// collection serves the reads of one resource type with one attribute
// selection.
type collection[T any] struct {
	r        *resources[T]
	sel      *GetOptions
	pageSize int
	// unbatched reads every object with its own GET, nothing kept.
	unbatched bool
	// cache holds what was read, until a write through r (r.cached).
	cache *readcache.Cache[reads[T]]
}

// reads is what a collection read since the last write.
type reads[T any] struct {
	// one holds the objects read by id (found, or gone), by id; reading
	// those being read.
	one     map[string]*flight[*T]
	reading map[string]bool
	// probe is the first page of the listing once it came; probed holds
	// its objects by id, so that they are not read again by id when the
	// rest is not listed.
	probe  *flight[*ListResponse[T]]
	probed map[string]*T
	// listing is set once a read started the whole listing; all is the
	// listing, by id, once it came.
	listing bool
	all     *flight[map[string]*T]
}

func newCollection[T any](r *resources[T], sel *GetOptions, pageSize int, unbatched bool) *collection[T] {
	return &collection[T]{r: r, sel: sel, pageSize: pageSize, unbatched: unbatched,
		cache: readcache.New(&r.cached, func() reads[T] {
			return reads[T]{one: map[string]*flight[*T]{}, reading: map[string]bool{}}
		})}
}

// step is what a read does next.
type step int

const (
	stepByID  step = iota // read the object with its own GET
	stepProbe             // fetch (or wait for) the first page
	stepList              // list the rest (or wait for the listing)
)

// counts is what next decides on.
type counts struct {
	byID        int  // distinct objects read, or being read, by id
	probed      bool // the first page came, or failed
	probeFailed bool
	pagesLeft   int  // after the first page: pages the rest takes
	listing     bool // the whole listing started
	listFailed  bool
}

// next decides whether a read of an object not read yet is served by id
// or by the listing (see RefreshService).
func next(k counts) step {
	switch {
	case k.probeFailed || k.listFailed:
		return stepByID // a failed listing: reads stay one by one
	case k.listing:
		return stepList
	case k.byID < RefreshThreshold:
		return stepByID
	case !k.probed:
		return stepProbe
	case k.pagesLeft <= k.byID:
		return stepList
	}
	return stepByID
}

// counts returns what next decides on.
func (s *reads[T]) counts() counts {
	k := counts{byID: len(s.one) + len(s.reading), listing: s.listing}
	if s.probe != nil {
		k.probed, k.probeFailed = true, s.probe.err != nil
		if s.probe.err == nil {
			k.pagesLeft = pagesLeft(s.probe.v)
		}
	}
	if s.all != nil {
		k.listFailed = s.all.err != nil
	}
	return k
}

// get reads the object id.
func (c *collection[T]) get(ctx context.Context, id string) (*T, error) {
	if c.unbatched {
		return c.r.Get(ctx, id, c.sel)
	}
	for {
		s := c.cache.Lock()
		if f, ok := s.one[id]; ok {
			c.cache.Unlock()
			return f.v, f.err
		}
		if v, ok := s.probed[id]; ok {
			c.cache.Unlock()
			return v, nil
		}
		if s.all != nil && s.all.err == nil {
			if v, ok := s.all.v[id]; ok {
				c.cache.Unlock()
				return v, nil
			}
			// Absent from the listing: created since, or skipped by paging.
			return c.byID(ctx, s, id)
		}
		var err error
		switch probe := s.probe; next(s.counts()) {
		case stepByID:
			return c.byID(ctx, s, id)
		case stepProbe:
			_, err = readcache.Do(ctx, c.cache, "probe", func() (*ListResponse[T], error) {
				return c.r.List(ctx, c.listOptions(1))
			}, func(s *reads[T], page *ListResponse[T], err error) {
				s.probe = &flight[*ListResponse[T]]{v: page, err: err}
				if err == nil {
					s.probed = make(map[string]*T, len(page.Resources))
					c.index(s.probed, page.Resources)
				}
			})
		case stepList:
			s.listing = true
			// next saw the first page come without error: it is there.
			_, err = readcache.Do(ctx, c.cache, "list", func() (map[string]*T, error) {
				return c.list(ctx, probe.v)
			}, func(s *reads[T], byID map[string]*T, err error) {
				s.all = &flight[map[string]*T]{v: byID, err: err}
			})
		}
		if err != nil && ctx.Err() != nil {
			return nil, err
		}
		// The outcome is kept, a failure too: decide again.
	}
}

// byID reads one object with its own GET, shared with concurrent reads of
// the same object, with c.cache locked (s) and the object not in s.one;
// it unlocks c.cache. A read that next sent by id counts in s.reading
// before another read decides, so that no more than RefreshThreshold
// reads go by id however many start at once. The object, or its absence,
// is kept; another failure is not, and a later read asks again.
func (c *collection[T]) byID(ctx context.Context, s *reads[T], id string) (*T, error) {
	s.reading[id] = true
	return readcache.Do(ctx, c.cache, "id/"+id, func() (*T, error) {
		return c.r.Get(ctx, id, c.sel)
	}, func(s *reads[T], v *T, err error) {
		delete(s.reading, id)
		if err == nil || errors.Is(err, transport.ErrNotFound) {
			s.one[id] = &flight[*T]{v: v, err: err}
		}
	})
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
