package jsonpos

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPositions(t *testing.T) {
	doc := []byte("{\"id\": \"А1\",\n \"clinic\": {\"service_area\": [\"75111\", \"75112\"]},\n \"id\": 2}")
	for _, tc := range []struct {
		field, at string
		nearest   bool
	}{
		{"id", `"А1"`, false},
		{"clinic.service_area[1]", `"75112"`, false},
		{"clinic.service_area", `["75111"`, false},
		{"clinic.address_code", `{"service_area"`, true}, // missing: the object it belongs in
	} {
		ptr := Pointer(tc.field)
		off := NearestOffset(doc, ptr)
		assert.Equal(t, tc.at, string(doc[off:off+int64(len(tc.at))]), tc.field)
		assert.Equal(t, tc.nearest, valueOffset(doc, ptr) < 0, tc.field)
	}
	assert.Equal(t, int64(-1), valueOffset([]byte(`{"a": [1,`), "/b"), "not JSON up to the pointer")
	line, col := LineCol(doc, NearestOffset(doc, "/clinic/service_area/1"))
	second := strings.Split(string(doc), "\n")[1]
	assert.Equal(t, [2]int{2, strings.Index(second, `"75112"`) + 1}, [2]int{line, col})
	line, col = LineCol(doc, int64(strings.Index(string(doc), "1\"")))
	assert.Equal(t, [2]int{1, 10}, [2]int{line, col}, "columns count characters: А is two bytes, one column")
	line, col = LineCol(doc, int64(len(doc))+5)
	assert.Equal(t, [2]int{3, 10}, [2]int{line, col}, "an offset past the end is the end")
	assert.Equal(t, "", Pointer(""))
}
