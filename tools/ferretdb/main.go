// Command siqian-ferretdb runs FerretDB v1 (MongoDB wire protocol) on the SQLite
// backend as an embedded store for siqian's development mode and tests.
//
// It links the embeddable package github.com/FerretDB/FerretDB/ferretdb rather
// than FerretDB's own command, whose version check panics outside a release build.
//
// Usage:
//
//	siqian-ferretdb -listen 127.0.0.1:0 -data ./.data/ferretdb [-parent-pid N]
//
// When the listener is bound it prints exactly one line to stdout:
//
//	FERRETDB READY mongodb://127.0.0.1:PORT/
//
// It exits cleanly (status 0) on SIGTERM or SIGINT, and on its own when the
// process named by -parent-pid is gone, so a crashed parent leaves no orphan.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dataDir := flag.String("data", "./.data/ferretdb", "directory holding the SQLite databases")
	parentPID := flag.Int("parent-pid", 0, "exit when this process is gone (0 disables)")
	logLevel := flag.String("log-level", "error", "log level: debug, info, warn or error")
	noIDIndex := flag.Bool("no-id-index", false, "do not add the `_id` expression indexes FerretDB's queries need (see idindex.go)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad -log-level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		fail("bad -data %q: %v", *dataDir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		fail("cannot create data dir %s: %v", abs, err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fail("cannot start FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	if *parentPID > 0 {
		go watchParent(*parentPID, stop)
	}

	if !*noIDIndex {
		go keepIDIndexes(ctx, abs, 500*time.Millisecond, logger)
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(ctx); err != nil {
			logger.Error("FerretDB stopped with an error", "error", err)
		}
	}()

	fmt.Printf("FERRETDB READY %s\n", f.MongoDBURI())

	<-ctx.Done()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		logger.Error("FerretDB did not stop within 10s; exiting anyway")
		os.Exit(1)
	}
}

// watchParent cancels the run when the parent process disappears.
func watchParent(pid int, stop context.CancelFunc) {
	for {
		time.Sleep(time.Second)
		if err := syscall.Kill(pid, 0); err != nil && err == syscall.ESRCH {
			stop()
			return
		}
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "siqian-ferretdb: "+format+"\n", args...)
	os.Exit(2)
}
