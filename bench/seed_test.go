package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

func TestSeed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		plan seedPlan
	}{
		{name: "users and group", plan: seedPlan{users: 37, group: true}},
		{name: "fewer users than workers", plan: seedPlan{users: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			m, c := startInProcessMock(t)
			got, err := seed(ctx, c, tt.plan)
			if err != nil {
				t.Fatalf("seed: %v", err)
			}
			if len(got.userIDs) != tt.plan.users {
				t.Fatalf("seeded %d user ids, want %d", len(got.userIDs), tt.plan.users)
			}
			// The i-th id must be the i-th user name's.
			for i, id := range got.userIDs {
				u, err := c.Users.Get(ctx, id, nil)
				if err != nil {
					t.Fatalf("get user %d: %v", i, err)
				}
				if want := fmt.Sprintf("seed-user-%05d@example.com", i); u.UserName != want {
					t.Errorf("user %d is %q, want %q", i, u.UserName, want)
				}
			}
			if (got.groupID != "") != tt.plan.group {
				t.Errorf("group id %q, want a group: %v", got.groupID, tt.plan.group)
			}
			stats, err := m.stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n := stats.Requests["POST /identity/v2/scim/Users"]; n != tt.plan.users {
				t.Errorf("%d user POSTs, want %d", n, tt.plan.users)
			}
		})
	}
}

// TestSeed_error stops at the first failure and reports it.
func TestSeed_error(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m, _ := startInProcessMock(t)
	c, err := scim.NewClient(scim.Config{URL: m.scimURL(), Token: "wrong-token"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = seed(ctx, c, seedPlan{users: 50})
	if err == nil {
		t.Fatal("seed with a wrong token succeeded")
	}
	stats, serr := m.stats(ctx)
	if serr != nil {
		t.Fatal(serr)
	}
	if stats.Total >= 50 {
		t.Errorf("%d requests after the first failure, want the loader to stop early", stats.Total)
	}
}
