package ratelimit

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/redis/go-redis/v9"
)

func key(id string, rpm, quota int) *enrichd.APIKey {
	return &enrichd.APIKey{ID: id, Plan: enrichd.Plan{Name: "p", RequestsPerMinute: rpm, DailyQuota: quota}}
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// limiterCase builds a limiter over a settable clock.
type limiterCase struct {
	name string
	new  func(t *testing.T, c *clock) enrichd.Limiter
}

func limiters(t *testing.T) []limiterCase {
	cases := []limiterCase{{"Memory", func(t *testing.T, c *clock) enrichd.Limiter {
		l := NewMemory()
		l.now = c.now
		return l
	}}}
	if url := redisURL(t); url != "" {
		cases = append(cases, limiterCase{"Redis", func(t *testing.T, c *clock) enrichd.Limiter {
			l := mustRedis(t, url, fmt.Sprintf("test:%d:", rand.Uint64()))
			l.now = c.now
			return l
		}})
	}
	return cases
}

// redisURL returns ENRICHD_TEST_REDIS_URL; "" (skip Redis) when unset, except in CI.
func redisURL(t *testing.T) string {
	url := os.Getenv("ENRICHD_TEST_REDIS_URL")
	if url == "" && os.Getenv("CI") == "true" {
		t.Fatal("ENRICHD_TEST_REDIS_URL must be set in CI")
	}
	return url
}

func mustRedis(t *testing.T, url, prefix string) *Redis {
	t.Helper()
	l, err := Dial(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	l.Prefix = prefix
	t.Cleanup(func() {
		ctx := context.Background()
		keys, _ := l.client.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			l.client.Del(ctx, keys...)
		}
		l.Close()
	})
	return l
}

// start is 10 s into a UTC minute, 1 h before midnight.
var start = time.Date(2026, 11, 22, 23, 0, 10, 0, time.UTC)

func TestLimiter_Allow(t *testing.T) {
	ctx := context.Background()
	for _, lc := range limiters(t) {
		t.Run(lc.name, func(t *testing.T) {
			t.Run("PerMinute", func(t *testing.T) {
				// Ensure rpm requests pass, the next is ERATELIMIT until the minute ends, then it resets.
				c := &clock{t: start}
				l := lc.new(t, c)
				k := key("k1", 3, 0)
				for i := range 3 {
					st, err := l.Allow(ctx, k)
					if err != nil {
						t.Fatalf("request %d: %v", i, err)
					}
					if st.Limit != 3 || st.Remaining != 2-i || !st.Reset.Equal(start.Add(50*time.Second)) {
						t.Fatalf("request %d: state=%+v", i, st)
					}
				}
				st, err := l.Allow(ctx, k)
				e := enrichd.AsError(err)
				if e == nil || e.Code != enrichd.ERATELIMIT || e.RetryAfter != 50*time.Second {
					t.Fatalf("err=%v", err)
				}
				if st.Limit != 3 || st.Remaining != 0 {
					t.Fatalf("state=%+v", st)
				}
				// Another key has its own window.
				if _, err := l.Allow(ctx, key("k2", 3, 0)); err != nil {
					t.Fatal(err)
				}
				c.add(50 * time.Second)
				if st, err := l.Allow(ctx, k); err != nil || st.Remaining != 2 {
					t.Fatalf("next minute: state=%+v err=%v", st, err)
				}
			})
			t.Run("DailyQuota", func(t *testing.T) {
				// Ensure the quota spans minutes, answers EQUOTA until midnight UTC, and refused requests are not counted.
				c := &clock{t: start}
				l := lc.new(t, c)
				k := key("k1", 0, 2)
				for i := range 2 {
					st, err := l.Allow(ctx, k)
					if err != nil || st.Limit != 2 || st.Remaining != 1-i {
						t.Fatalf("request %d: state=%+v err=%v", i, st, err)
					}
					c.add(2 * time.Minute)
				}
				st, err := l.Allow(ctx, k)
				e := enrichd.AsError(err)
				midnight := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
				if e == nil || e.Code != enrichd.EQUOTA || e.RetryAfter != midnight.Sub(c.now()) || !st.Reset.Equal(midnight) {
					t.Fatalf("state=%+v err=%v", st, err)
				}
				c.t = midnight.Add(time.Second)
				if _, err := l.Allow(ctx, k); err != nil {
					t.Fatalf("after midnight: %v", err)
				}
			})
			t.Run("QuotaAndRate", func(t *testing.T) {
				// Ensure a rate-limited request does not use up the daily quota.
				c := &clock{t: start}
				l := lc.new(t, c)
				k := key("k1", 1, 2)
				if _, err := l.Allow(ctx, k); err != nil {
					t.Fatal(err)
				}
				for range 5 {
					if _, err := l.Allow(ctx, k); enrichd.ErrorCode(err) != enrichd.ERATELIMIT {
						t.Fatalf("err=%v, want rate limit", err)
					}
				}
				c.add(time.Minute)
				if _, err := l.Allow(ctx, k); err != nil {
					t.Fatalf("second request of the day: %v", err)
				}
				c.add(time.Minute)
				if _, err := l.Allow(ctx, k); enrichd.ErrorCode(err) != enrichd.EQUOTA {
					t.Fatalf("err=%v, want quota", err)
				}
			})
			t.Run("Unlimited", func(t *testing.T) {
				c := &clock{t: start}
				l := lc.new(t, c)
				for range 1000 {
					if st, err := l.Allow(ctx, key("k1", 0, 0)); err != nil || st.Limit != 0 {
						t.Fatalf("state=%+v err=%v", st, err)
					}
				}
			})
			t.Run("Concurrent", func(t *testing.T) {
				// Ensure exactly rpm of many concurrent requests pass.
				c := &clock{t: start}
				l := lc.new(t, c)
				k := key("k1", 25, 0)
				var wg sync.WaitGroup
				var mu sync.Mutex
				passed := 0
				for range 100 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if _, err := l.Allow(ctx, k); err == nil {
							mu.Lock()
							passed++
							mu.Unlock()
						}
					}()
				}
				wg.Wait()
				if passed != 25 {
					t.Fatalf("passed=%d, want 25", passed)
				}
			})
			t.Run("ErrNoKey", func(t *testing.T) {
				l := lc.new(t, &clock{t: start})
				if _, err := l.Allow(ctx, nil); err == nil {
					t.Fatal("want error")
				}
			})
		})
	}
}

// Ensure two nodes on one Redis share the limit.
func TestRedis_Shared(t *testing.T) {
	url := redisURL(t)
	if url == "" {
		t.Skip("ENRICHD_TEST_REDIS_URL not set")
	}
	prefix := fmt.Sprintf("test:%d:", rand.Uint64())
	c := &clock{t: start}
	a, b := mustRedis(t, url, prefix), mustRedis(t, url, prefix)
	a.now, b.now = c.now, c.now
	k := key("shared", 4, 0)
	ctx := context.Background()
	for i := range 4 {
		l := []*Redis{a, b}[i%2]
		if _, err := l.Allow(ctx, k); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	for _, l := range []*Redis{a, b} {
		if _, err := l.Allow(ctx, k); enrichd.ErrorCode(err) != enrichd.ERATELIMIT {
			t.Fatalf("err=%v, want rate limit on every node", err)
		}
	}
}

// Ensure a dead Redis degrades to the in-process fallback instead of failing
// requests, and is retried after RetryDown.
func TestRedis_Fallback(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond, MaxRetries: -1})
	defer client.Close()
	l := NewRedis(client)
	c := &clock{t: start}
	l.now = c.now
	l.Fallback.(*Memory).now = c.now
	k := key("k1", 2, 0)
	ctx := context.Background()
	for i := range 2 {
		if _, err := l.Allow(ctx, k); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if _, err := l.Allow(ctx, k); enrichd.ErrorCode(err) != enrichd.ERATELIMIT {
		t.Fatalf("err=%v, want the fallback's rate limit", err)
	}
	if l.downUntil.Load() <= c.now().UnixNano() {
		t.Fatal("redis not marked down")
	}
}

// Ensure a bad URL is a clear EINVALID and an unreachable Redis an error.
func TestDial_Errors(t *testing.T) {
	ctx := context.Background()
	if _, err := Dial(ctx, "http://nope"); enrichd.ErrorCode(err) != enrichd.EINVALID {
		t.Fatalf("err=%v", err)
	}
	if _, err := Dial(ctx, "redis://127.0.0.1:1/0?dial_timeout=50ms"); err == nil {
		t.Fatal("want error for an unreachable redis")
	}
}

func BenchmarkMemory_Allow(b *testing.B) {
	l := NewMemory()
	k := key("k1", 1<<30, 0)
	ctx := context.Background()
	for b.Loop() {
		l.Allow(ctx, k)
	}
}
