package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// scimBasePath is the SCIM service's path under the mock's base URL.
const scimBasePath = "/identity/v2/scim"

// seedWorkers is how many users the loader creates concurrently.
const seedWorkers = 8

// seedGroupName is the display name of the seeded group.
const seedGroupName = "bench-seeded-group"

// seedPlan is what a scenario needs in the mock before Terraform runs.
type seedPlan struct {
	users int
	group bool
}

// seeded is what the loader created.
type seeded struct {
	userIDs []string // in creation order of the user names
	groupID string
}

// seed creates plan's users concurrently and its group through the SCIM API.
func seed(ctx context.Context, c *scim.Client, plan seedPlan) (seeded, error) {
	var out seeded
	ids, err := seedUsers(ctx, c, plan.users)
	if err != nil {
		return out, err
	}
	out.userIDs = ids
	if plan.group {
		g, err := c.Groups.Create(ctx, &scim.Group{DisplayName: seedGroupName})
		if err != nil {
			return out, fmt.Errorf("seed group: %w", err)
		}
		out.groupID = g.ID
	}
	return out, nil
}

// seedUsers creates n users with seedWorkers concurrent requests and returns
// their ids, the i-th id being user i's.
func seedUsers(ctx context.Context, c *scim.Client, n int) ([]string, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ids := make([]string, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(seedWorkers, n) {
		wg.Go(func() {
			for i := range next {
				u, err := c.Users.Create(ctx, seedUser(i))
				if err != nil {
					cancel(fmt.Errorf("seed user %d: %w", i, err))
					continue
				}
				ids[i] = u.ID
			}
		})
	}
	feed(ctx, next, n)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return ids, nil
}

// feed sends 0..n-1 on next, stopping early when ctx is done, then closes it.
func feed(ctx context.Context, next chan<- int, n int) {
	defer close(next)
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			return
		}
	}
}

// seedUser returns the i-th seeded user, shaped like the users an IdP
// provisions.
func seedUser(i int) *scim.User {
	userName := fmt.Sprintf("seed-user-%05d@example.com", i)
	displayName := fmt.Sprintf("Seed User %05d", i)
	given, family := "Seed", fmt.Sprintf("User %05d", i)
	active := true
	return &scim.User{
		UserName:    userName,
		DisplayName: &displayName,
		Active:      &active,
		Name:        &scim.Name{GivenName: &given, FamilyName: &family},
		Emails:      []scim.Email{{Value: userName, Type: "work", Primary: true}},
	}
}
