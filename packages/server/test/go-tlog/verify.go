// Command verify checks a Confiance node's ledger with Go's own transparency-log code
// (golang.org/x/mod/sumdb/tlog and note), written and maintained apart from ours: if our tiles,
// checkpoints or notes drifted from RFC 6962 / C2SP, this disagrees with the TypeScript verifier.
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o verify ./verify.go
//	./verify [-corrupt-root] [-index 0,300] http://127.0.0.1:8080
//
// It fetches /ledger/verifier-key and /ledger/checkpoint, opens the signed note with note.Open and
// note.NewVerifier, parses the C2SP checkpoint body (origin, size, base64 root), recomputes the
// tree hash from the served tiles with tlog.TreeHash, checks every entry bundle against the level-0
// tiles with tlog.RecordHash, and proves a few records with tlog.ProveRecord over
// tlog.TileHashReader (which authenticates every tile it reads against the root) and
// tlog.CheckRecord. Any mismatch prints why and exits 1; usage errors exit 2.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// C2SP tlog-tiles fixes the tile height at 8 (256 hashes a tile).
const height = 8

var client = &http.Client{Timeout: 30 * time.Second}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "go-tlog: "+format+"\n", args...)
	os.Exit(1)
}

func get(base, path string) []byte {
	resp, err := client.Get(base + "/" + path)
	if err != nil {
		fail("GET /%s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fail("GET /%s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		fail("GET /%s: HTTP %d: %s", path, resp.StatusCode, bytes.TrimSpace(body))
	}
	return body
}

// c2spPath writes a tile's path as C2SP tlog-tiles spells it, from the spec rather than from Go:
// tile/<L>/<N> or tile/entries/<N>, N in 3-digit groups with all but the last prefixed by x,
// then .p/<W> for a partial tile.
func c2spPath(t tlog.Tile) string {
	groups := []string{fmt.Sprintf("%03d", t.N%1000)}
	for n := t.N / 1000; n > 0; n /= 1000 {
		groups = append([]string{fmt.Sprintf("x%03d", n%1000)}, groups...)
	}
	level := strconv.Itoa(t.L)
	if t.L == -1 {
		level = "entries"
	}
	path := "tile/" + level + "/" + strings.Join(groups, "/")
	if t.W != 1<<height {
		path += fmt.Sprintf(".p/%d", t.W)
	}
	return path
}

// servedPath checks that Go's own Tile.Path agrees with C2SP's once its height element is dropped
// (sumdb writes tile/8/0/x001/234, C2SP tile/0/x001/234; sumdb says data where C2SP says entries)
// and that Go parses the path back to the same tile.
func servedPath(t tlog.Tile) string {
	ours := c2spPath(t)
	goPath := t.Path()
	want := "tile/" + strconv.Itoa(height) + "/"
	if !strings.HasPrefix(goPath, want) {
		fail("Go's path %q for %+v does not start with %q", goPath, t, want)
	}
	translated := "tile/" + strings.Replace(strings.TrimPrefix(goPath, want), "data/", "entries/", 1)
	if translated != ours {
		fail("tile %+v: Go's path %q is %q without its height, C2SP says %q", t, goPath, translated, ours)
	}
	back, err := tlog.ParseTilePath(goPath)
	if err != nil || back != t {
		fail("Go parses %q back as %+v (%v), not %+v", goPath, back, err, t)
	}
	return ours
}

// tileReader serves tlog's requests from the node's /ledger/tile/… paths.
type tileReader struct {
	base    string
	fetched map[string]bool
}

func (r *tileReader) Height() int { return height }

func (r *tileReader) fetch(t tlog.Tile) []byte {
	path := servedPath(t)
	r.fetched[path] = true
	return get(r.base, "ledger/"+path)
}

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		out[i] = r.fetch(t)
	}
	return out, nil
}

func (r *tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

// widthAt is the width of the tile holding tile-level hashes from n·256 on, in a tree of `size`:
// 256 for a full tile, fewer at the right edge (what tlog's unexported tileParent computes).
func widthAt(level int, n int64, size int64) int {
	available := size >> uint(level*height)
	if w := available - n<<height; w < 1<<height {
		return int(w)
	}
	return 1 << height
}

// rawHashReader reads stored hashes straight from the tiles, trusting them: its tree hash is then
// compared with the checkpoint's root, so it is computed, not taken from what it is checked against.
func rawHashReader(r *tileReader, size int64) tlog.HashReader {
	cache := map[tlog.Tile][]byte{}
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		hashes := make([]tlog.Hash, len(indexes))
		for i, index := range indexes {
			t := tlog.TileForIndex(height, index)
			t.W = widthAt(t.L, t.N, size)
			data, ok := cache[t]
			if !ok {
				tiles, err := r.ReadTiles([]tlog.Tile{t})
				if err != nil {
					return nil, err
				}
				data = tiles[0]
				if len(data) != t.W*tlog.HashSize {
					return nil, fmt.Errorf("tile %s is %d bytes, want %d", c2spPath(t), len(data), t.W*tlog.HashSize)
				}
				cache[t] = data
			}
			h, err := tlog.HashFromTile(t, data, index)
			if err != nil {
				return nil, err
			}
			hashes[i] = h
		}
		return hashes, nil
	})
}

// checkpoint is a C2SP tlog-checkpoint body: origin, decimal size, base64 root, extension lines.
func parseCheckpoint(text string) (origin string, size int64, root tlog.Hash, err error) {
	lines := strings.Split(text, "\n")
	if len(lines) < 4 || lines[len(lines)-1] != "" {
		return "", 0, root, errors.New("checkpoint body is not origin, size, root, each ending in a newline")
	}
	origin = lines[0]
	if origin == "" {
		return "", 0, root, errors.New("empty origin")
	}
	size, err = strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return "", 0, root, fmt.Errorf("tree size %q is not a canonical decimal", lines[1])
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(raw) != tlog.HashSize {
		return "", 0, root, fmt.Errorf("root %q is not 32 bytes of standard base64", lines[2])
	}
	copy(root[:], raw)
	return origin, size, root, nil
}

// entries decodes an entry bundle: each entry is a big-endian uint16 length then that many bytes.
func entries(bundle []byte, want int) ([][]byte, error) {
	var out [][]byte
	for len(bundle) > 0 {
		if len(bundle) < 2 {
			return nil, errors.New("truncated length prefix")
		}
		n := int(binary.BigEndian.Uint16(bundle))
		if len(bundle) < 2+n {
			return nil, errors.New("truncated entry")
		}
		out = append(out, bundle[2:2+n])
		bundle = bundle[2+n:]
	}
	if len(out) != want {
		return nil, fmt.Errorf("%d entries, want %d", len(out), want)
	}
	return out, nil
}

func main() {
	corrupt := flag.Bool("corrupt-root", false, "flip a bit of the checkpoint's root before checking (the check must then fail)")
	indexList := flag.String("index", "", "comma-separated entries to prove (default: first, 255, 256, middle, last)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: verify [-corrupt-root] [-index i,j,…] <node base URL>")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	base := strings.TrimRight(flag.Arg(0), "/")

	vkey := strings.TrimSpace(string(get(base, "ledger/verifier-key")))
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("verifier key %q: %v", vkey, err)
	}
	signed := get(base, "ledger/checkpoint")
	n, err := note.Open(signed, note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint note does not verify with %s: %v", vkey, err)
	}
	origin, size, root, err := parseCheckpoint(n.Text)
	if err != nil {
		fail("checkpoint: %v", err)
	}
	if origin != verifier.Name() {
		fail("checkpoint origin %q is not the key's name %q", origin, verifier.Name())
	}
	if *corrupt {
		root[0] ^= 0x01
	}
	if size == 0 {
		fail("the log is empty: nothing to check")
	}

	reader := &tileReader{base: base, fetched: map[string]bool{}}
	computed, err := tlog.TreeHash(size, rawHashReader(reader, size))
	if err != nil {
		fail("tree hash from tiles: %v", err)
	}
	if computed != root {
		fail("tree hash from tiles %s ≠ checkpoint root %s (size %d)", computed, root, size)
	}

	// Every entry bundle against the level-0 hashes the tiles hold (and the tree hash authenticated).
	leaves := tlog.TileHashReader(tlog.Tree{N: size, Hash: root}, reader)
	for start := int64(0); start < size; start += 1 << height {
		t := tlog.Tile{H: height, L: -1, N: start >> height, W: widthAt(0, start>>height, size)}
		bundle, err := entries(reader.fetch(t), t.W)
		if err != nil {
			fail("entry bundle %s: %v", c2spPath(t), err)
		}
		indexes := make([]int64, len(bundle))
		for i := range bundle {
			indexes[i] = tlog.StoredHashIndex(0, start+int64(i))
		}
		hashes, err := leaves.ReadHashes(indexes)
		if err != nil {
			fail("leaf hashes %d…%d: %v", start, start+int64(len(bundle))-1, err)
		}
		for i, data := range bundle {
			if tlog.RecordHash(data) != hashes[i] {
				fail("entry %d: SHA-256(0x00‖bundle bytes) ≠ the tile's leaf hash", start+int64(i))
			}
		}
	}

	var indices []int64
	if *indexList == "" {
		for _, i := range []int64{0, 255, 256, size / 2, size - 1} {
			if i < size {
				indices = append(indices, i)
			}
		}
	} else {
		for _, s := range strings.Split(*indexList, ",") {
			i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || i < 0 || i >= size {
				fmt.Fprintf(os.Stderr, "go-tlog: index %q is not in 0…%d\n", s, size-1)
				os.Exit(2)
			}
			indices = append(indices, i)
		}
	}
	for _, i := range indices {
		proof, err := tlog.ProveRecord(size, i, leaves)
		if err != nil {
			fail("proof of entry %d: %v", i, err)
		}
		t := tlog.Tile{H: height, L: -1, N: i >> height, W: widthAt(0, i>>height, size)}
		bundle, err := entries(reader.fetch(t), t.W)
		if err != nil {
			fail("entry bundle %s: %v", c2spPath(t), err)
		}
		if err := tlog.CheckRecord(proof, size, root, i, tlog.RecordHash(bundle[i%(1<<height)])); err != nil {
			fail("entry %d does not check against the root: %v", i, err)
		}
	}

	partial, bundles := 0, 0
	for p := range reader.fetched {
		if strings.Contains(p, ".p/") {
			partial++
		}
		if strings.HasPrefix(p, "tile/entries/") {
			bundles++
		}
	}
	fmt.Printf("ok: %s size %d root %s; %d tiles and %d entry bundles read (%d partial); records %v proved\n",
		origin, size, base64.StdEncoding.EncodeToString(root[:]), len(reader.fetched)-bundles, bundles, partial, indices)
}
