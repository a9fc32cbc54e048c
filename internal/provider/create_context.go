package provider

import (
	"context"
	"time"
)

// createGrace bounds a create once Terraform's graceful stop no longer
// cancels it.
const createGrace = 5 * time.Minute

// withoutStop returns the context of a create call: Terraform's graceful
// stop (the first SIGINT, StopProvider) does not cancel it, so an object
// the service may already have created is returned and saved in the state
// instead of being orphaned. createGrace still bounds it.
func withoutStop(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), createGrace)
}
