#!/usr/bin/env bash
# Go corpus: small programs that panic in each way the parser must know, built with the machine's Go
# (Debian golang-go). Output: testdata/stacktraces/go/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
command -v go >/dev/null || { echo "corpus: go not found (apt-get install golang-go)" >&2; exit 1; }
W="$(workdir go)"
OUT="$CORPUS_OUT/go"
mkdir -p "$OUT" "$W/app/orders" "$W/bin"
export GOPATH="$W/gopath" GOCACHE="$W/cache" GOFLAGS=-mod=mod GO111MODULE=on GOTOOLCHAIN=local

cat >"$W/app/go.mod" <<'GO'
module example.com/shop

go 1.19
GO
cat >"$W/app/orders/orders.go" <<'GO'
package orders

import (
	"errors"
	"fmt"
)

var ErrNoStock = errors.New("no stock")

type Order struct {
	ID    int
	Items []string
	Stock map[string]int
}

func (o *Order) Reserve(i int) {
	o.Stock[o.Items[i]]--
}

func (o *Order) Check() error {
	if len(o.Items) > 2 {
		return fmt.Errorf("order %d: %w", o.ID, ErrNoStock)
	}
	return nil
}
GO
prog() { # NAME: reads main.go from stdin
  mkdir -p "$W/app/cmd/$1" && cat >"$W/app/cmd/$1/main.go"
}
# 1. Explicit panic with an error value.
prog panic-error <<'GO'
package main

import (
	"fmt"

	"example.com/shop/orders"
)

func handle(o *orders.Order) {
	if err := o.Check(); err != nil {
		panic(err)
	}
}

func main() {
	fmt.Println("handling order 7")
	handle(&orders.Order{ID: 7, Items: []string{"a", "b", "c"}})
}
GO
# 2. Runtime errors: nil map write, index out of range, nil pointer dereference (SIGSEGV).
prog nil-map <<'GO'
package main

import "example.com/shop/orders"

func main() {
	o := &orders.Order{ID: 1, Items: []string{"pear"}}
	o.Reserve(0)
}
GO
prog index <<'GO'
package main

import "example.com/shop/orders"

func main() {
	o := &orders.Order{ID: 2, Items: []string{}, Stock: map[string]int{}}
	o.Reserve(3)
}
GO
prog nil-pointer <<'GO'
package main

import (
	"fmt"

	"example.com/shop/orders"
)

func total(o *orders.Order) int { return len(o.Items) }

func main() {
	var o *orders.Order
	fmt.Println(total(o))
}
GO
# 3. A panic recovered and re-raised: "[recovered]".
prog recovered <<'GO'
package main

import "fmt"

func cleanup() {
	if r := recover(); r != nil {
		fmt.Println("cleaning up after", r)
		panic(r)
	}
}

func work() {
	defer cleanup()
	panic(fmt.Sprintf("job %d failed", 12))
}

func main() { work() }
GO
# 4. A panic in a goroutine: "created by".
prog goroutine <<'GO'
package main

import (
	"sync"
	"time"
)

type job struct{ n int }

func (j *job) run(wg *sync.WaitGroup) {
	defer wg.Done()
	var xs []int
	_ = xs[j.n]
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go (&job{n: i + 5}).run(&wg)
	}
	wg.Wait()
	time.Sleep(time.Second)
}
GO
# 5. fatal error: all goroutines are asleep (every goroutine printed); concurrent map writes.
prog deadlock <<'GO'
package main

import "fmt"

func main() {
	ch := make(chan int)
	done := make(chan bool)
	go func() { <-done }()
	fmt.Println("waiting for result")
	fmt.Println(<-ch)
}
GO
prog map-race <<'GO'
package main

import "sync"

func main() {
	m := map[int]int{}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 1000000; i++ {
				m[i%100] = g
			}
		}(g)
	}
	wg.Wait()
}
GO
# 6. net/http recovers a handler's panic and logs it with the goroutine's trace; the server goes on.
prog http-panic <<'GO'
package main

import (
	"io"
	"log"
	"net"
	"net/http"
	"os"
)

type event struct{ Data map[string]string }

func hello(w http.ResponseWriter, r *http.Request) {
	var e *event
	if r.URL.Path == "/fail" {
		io.WriteString(w, e.Data["name"])
		return
	}
	io.WriteString(w, "hello")
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/", hello)
	go http.Serve(ln, nil)
	base := "http://" + ln.Addr().String()
	for _, p := range []string{"/", "/fail", "/"} {
		resp, err := http.Get(base + p)
		if err != nil {
			log.Printf("GET %s: %v", p, err)
			continue
		}
		log.Printf("GET %s: %d", p, resp.StatusCode)
		resp.Body.Close()
	}
	os.Exit(0)
}
GO
# 7. GOTRACEBACK=all: every goroutine after a panic; a panic with a custom value type.
prog custom-value <<'GO'
package main

import (
	"fmt"
	"time"
)

type PaymentError struct {
	Code   int
	Reason string
}

func (e PaymentError) Error() string { return fmt.Sprintf("payment error %d: %s", e.Code, e.Reason) }

type state struct{ name string }

func waitForever() { time.Sleep(time.Hour) }

func charge(amount int) {
	if amount > 100 {
		panic(PaymentError{Code: 402, Reason: "limit exceeded"})
	}
	panic(state{name: "bad"})
}

func main() {
	go waitForever()
	time.Sleep(10 * time.Millisecond)
	charge(500)
}
GO
# 8. log lines with file:line (log.Lshortfile) and log.Fatal: not panics.
prog lshortfile <<'GO'
package main

import (
	"errors"
	"log"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lshortfile)
	log.Printf("starting worker pool size=%d", 4)
	log.Printf("panic: this is only a message about a panic, not one")
	log.Printf("goroutine 7 finished")
	log.Fatal(errors.New("config: missing FUNC_HANDLER"))
}
GO

(cd "$W/app" && go build -o "$W/bin/" ./cmd/...) || { echo "corpus: go build failed" >&2; exit 1; }
for p in panic-error nil-map index nil-pointer recovered goroutine deadlock map-race http-panic custom-value; do
  capture "$OUT/$p.log" "$W/app" "$W/bin/$p"
done
capture "$OUT/custom-value-all.log" "$W/app" env GOTRACEBACK=all "$W/bin/custom-value"
capture "$CORPUS_OUT/negative/go-lshortfile.log" "$W/app" "$W/bin/lshortfile"
