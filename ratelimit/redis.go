package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/redis/go-redis/v9"
)

var _ enrichd.Limiter = (*Redis)(nil)

// allowScript checks both windows and counts the request only when both
// allow it, atomically, so that every node sees one count per key.
// KEYS: minute counter, day counter. ARGV: rpm, quota, minute TTL ms, day TTL ms.
// Returns {allowed (0/1), minute count before, day count before}.
var allowScript = redis.NewScript(`
local m = tonumber(redis.call('GET', KEYS[1]) or '0')
local d = tonumber(redis.call('GET', KEYS[2]) or '0')
local rpm = tonumber(ARGV[1])
local quota = tonumber(ARGV[2])
if (quota > 0 and d >= quota) or (rpm > 0 and m >= rpm) then
	return {0, m, d}
end
if rpm > 0 and redis.call('INCR', KEYS[1]) == 1 then
	redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
if quota > 0 and redis.call('INCR', KEYS[2]) == 1 then
	redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
return {1, m, d}
`)

// Redis is a limiter shared by every enrichd node that uses the same Redis.
//
// NOTE: when Redis fails, Allow answers from Fallback (an in-process limiter)
// and skips Redis for RetryDown, so that a Redis outage degrades limits to
// per-node instead of failing or slowing every request.
type Redis struct {
	client redis.UniversalClient
	now    func() time.Time

	// Prefix namespaces the counters; default "enrichd:rl:".
	Prefix string
	// Fallback answers while Redis is unreachable; default NewMemory().
	Fallback enrichd.Limiter
	// RetryDown is how long to skip Redis after a failure; default 5s.
	RetryDown time.Duration
	// Logger receives one warning per outage; nil logs nothing.
	Logger *slog.Logger

	downUntil atomic.Int64 // unix nanos
}

// NewRedis returns a limiter counting in client.
func NewRedis(client redis.UniversalClient) *Redis {
	return &Redis{client: client, now: time.Now, Prefix: "enrichd:rl:", Fallback: NewMemory(), RetryDown: 5 * time.Second}
}

// Dial connects to the Redis at rawURL (redis://[user:pass@]host:port/db or
// rediss:// for TLS), checks that it answers, and returns a limiter over it.
// Short timeouts apply unless the URL sets its own, because a limiter that
// waits seconds on a dead Redis delays every request.
func Dial(ctx context.Context, rawURL string) (*Redis, error) {
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, enrichd.Errorf(enrichd.EINVALID, "Invalid Redis URL: %v", err)
	}
	// Zero means "not in the URL" here: go-redis fills its defaults later.
	if opt.DialTimeout == 0 {
		opt.DialTimeout = time.Second
	}
	if opt.ReadTimeout == 0 {
		opt.ReadTimeout = 500 * time.Millisecond
	}
	if opt.WriteTimeout == 0 {
		opt.WriteTimeout = 500 * time.Millisecond
	}
	client := redis.NewClient(opt)
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("connect redis %s:%d: %w", opt.Addr, opt.DB, err)
	}
	return NewRedis(client), nil
}

// Close closes the Redis client.
func (l *Redis) Close() error { return l.client.Close() }

// Allow implements enrichd.Limiter.
func (l *Redis) Allow(ctx context.Context, key *enrichd.APIKey) (enrichd.RateState, error) {
	if key == nil {
		return enrichd.RateState{}, fmt.Errorf("ratelimit: no key")
	}
	if unlimited(key) {
		return enrichd.RateState{}, nil
	}
	now := l.now()
	if now.UnixNano() < l.downUntil.Load() {
		return l.Fallback.Allow(ctx, key)
	}
	minute, day, minuteEnd, dayEnd := windows(now)
	// NOTE: the {id} hash tag keeps both counters of a key on one Redis
	// Cluster slot, which a multi-key script requires.
	keys := []string{
		fmt.Sprintf("%s{%s}:m:%d", l.Prefix, key.ID, minute),
		fmt.Sprintf("%s{%s}:d:%d", l.Prefix, key.ID, day),
	}
	// The TTLs outlive the window a little, for clock skew between nodes.
	res, err := allowScript.Run(ctx, l.client, keys,
		key.Plan.RequestsPerMinute, key.Plan.DailyQuota,
		minuteEnd.Sub(now).Milliseconds()+60_000, dayEnd.Sub(now).Milliseconds()+3_600_000).Int64Slice()
	if err != nil || len(res) != 3 {
		if ctx.Err() != nil {
			return enrichd.RateState{}, ctx.Err()
		}
		if l.downUntil.Swap(now.Add(l.RetryDown).UnixNano()) < now.UnixNano() && l.Logger != nil {
			l.Logger.WarnContext(ctx, "redis rate limiter unavailable; limiting per node", "err", err, "retry_in", l.RetryDown.String())
		}
		return l.Fallback.Allow(ctx, key)
	}
	st, _, err := decide(key.Plan, int(res[1]), int(res[2]), now)
	return st, err
}
