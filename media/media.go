// Package media stores portraits content-addressed on disk, makes their
// derivatives once at intake, and serves them over HTTP, IIIF Image API 3.0
// and IIIF Presentation 3.0.
//
// Layout under the data dir:
//
//	originals/ab/cdef...        the uploaded bytes, named by their sha256
//	derivatives/ab/cdef.../     w160.jpg ... w2048.jpg and info.json
//	iiif-cache/ab/cdef.../      rendered IIIF results
//
// The derivatives directory is renamed into place last, so its presence
// means an intake finished completely.
package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Sentinel errors; every error Intake returns wraps one of them or the
// context's error, so callers can map them to user-facing messages.
var (
	ErrTooLarge    = errors.New("图像过大 / image too large")
	ErrUnsupported = errors.New("不支持的图像格式，仅接受 JPEG、PNG、TIFF / unsupported image format (JPEG, PNG, TIFF only)")
	ErrBadImage    = errors.New("图像数据损坏或不完整 / corrupt or truncated image")
	ErrNotFound    = errors.New("图像不存在 / image not found")
)

// Widths are the derivative widths made at intake; never upscaled.
var Widths = []int{160, 320, 640, 1280, 2048}

// Defaults bound what one upload may cost.
const (
	DefaultMaxBytes  = 200 << 20
	DefaultMaxPixels = 100_000_000
	DefaultMaxSide   = 20000
)

// Options configure a Service. Zero fields take the defaults.
type Options struct {
	MaxBytes  int64
	MaxPixels int
	MaxSide   int
	// MaxDecodes bounds concurrent full decodes (each may take
	// MaxPixels*4 bytes); default 2.
	MaxDecodes int
	Logger     *slog.Logger
	// Create opens a new file for writing; tests replace it to simulate a
	// full disk. Default os.OpenFile with O_CREATE|O_EXCL.
	Create func(name string) (WriteFile, error)
}

// WriteFile is what the Service needs from a file it writes.
type WriteFile interface {
	io.Writer
	Sync() error
	Close() error
}

// Service owns a media directory.
type Service struct {
	dir       string
	maxBytes  int64
	maxPixels int
	maxSide   int
	sem       chan struct{}
	log       *slog.Logger
	create    func(name string) (WriteFile, error)
}

// New opens (creating if needed) the media directory dir.
func New(dir string, o Options) (*Service, error) {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxPixels <= 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	if o.MaxSide <= 0 {
		o.MaxSide = DefaultMaxSide
	}
	if o.MaxDecodes <= 0 {
		o.MaxDecodes = 2
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Create == nil {
		o.Create = func(name string) (WriteFile, error) {
			return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		}
	}
	for _, sub := range []string{"originals", "derivatives", "iiif-cache"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("media: %w", err)
		}
	}
	s := &Service{
		dir: dir, maxBytes: o.MaxBytes, maxPixels: o.MaxPixels, maxSide: o.MaxSide,
		sem: make(chan struct{}, o.MaxDecodes), log: o.Logger, create: o.Create,
	}
	s.sweepTemps(time.Now().Add(-staleTemp))
	return s, nil
}

// staleTemp is how old a temporary file or directory must be for a new
// Service to remove it. Writers touch theirs continuously and finish in
// seconds, so one this old belongs to a process that was killed; another
// process at work on the same media dir is left alone.
const staleTemp = 10 * time.Minute

// sweepTemps removes the temporary uploads and derivative directories
// that killed processes left (they are never served, but each is as
// large as a scan), last modified before cutoff.
func (s *Service) sweepTemps(cutoff time.Time) {
	var dirs []string
	for _, sub := range []string{"originals", "derivatives"} {
		dirs = append(dirs, filepath.Join(s.dir, sub))
		shards, _ := filepath.Glob(filepath.Join(s.dir, sub, "??"))
		dirs = append(dirs, shards...)
	}
	removed := 0
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			name := e.Name()
			if !strings.HasPrefix(name, ".upload-") && !strings.HasPrefix(name, ".tmp-") {
				continue
			}
			info, err := e.Info()
			if err != nil || info.ModTime().After(cutoff) {
				continue
			}
			if os.RemoveAll(filepath.Join(d, name)) == nil {
				removed++
			}
		}
	}
	if removed > 0 {
		s.log.Info("已清理中断留下的临时文件 / removed temporary files of interrupted uploads", "count", removed)
	}
}

var shaRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidID reports whether id is a well-formed content id (a lowercase hex
// sha256); anything else, path traversal included, is refused before it
// reaches the file system.
func ValidID(id string) bool { return shaRE.MatchString(id) }

func (s *Service) originalPath(sha string) string {
	return filepath.Join(s.dir, "originals", sha[:2], sha[2:])
}

func (s *Service) derivDir(sha string) string {
	return filepath.Join(s.dir, "derivatives", sha[:2], sha[2:])
}

func (s *Service) cacheDir(sha string) string {
	return filepath.Join(s.dir, "iiif-cache", sha[:2], sha[2:])
}

func (s *Service) acquire(ctx context.Context) error {
	select {
	case s.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Service) release() { <-s.sem }

func tempName(dir, prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return filepath.Join(dir, prefix+hex.EncodeToString(b[:]))
}

// writeAtomic writes data to path through a temp file in the same
// directory, fsynced and renamed, so readers never see a partial file.
func (s *Service) writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp := tempName(dir, ".tmp-")
	if err := s.writeFile(tmp, data); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

func (s *Service) writeFile(name string, data []byte) error {
	f, err := s.create(name)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Some file systems refuse fsync on directories; the rename is
	// still atomic there, only its durability is weaker.
	_ = d.Sync()
	return nil
}
