package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/guigen/guigen/search"
	"github.com/guigen/guigen/store"
)

func ExampleCompareNames() {
	for _, p := range [][2]string{{"高喜娃", "高善娃"}, {"陈华", "陈花"}, {"张德明", "張德明"}, {"wang dm", "王德明"}} {
		m := search.CompareNames(p[0], p[1])
		fmt.Printf("%s / %s: %.2f %v\n", p[0], p[1], m.Score, m.Reasons)
	}
	// Output:
	// 高喜娃 / 高善娃: 0.85 [{shape 喜/善 形近}]
	// 陈华 / 陈花: 0.85 [{homophone 华/花 同音}]
	// 张德明 / 張德明: 0.97 [{variant 张/張 繁简}]
	// wang dm / 王德明: 0.88 [{pinyin 拼音 wang + 首字母 dm}]
}

func ExampleIndex_Search() {
	dir, _ := os.MkdirTemp("", "guigen-search")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	x, err := search.Open(filepath.Join(dir, "idx"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer x.Close()
	_ = x.Index(ctx, []store.Martyr{
		{ID: "m-1", Name: "高善娃", HometownText: "山东省胶县大店村", Born: store.Date{Year: 1925}},
		{ID: "m-2", Name: "高善娃", HometownText: "山东省掖县"},
		{ID: "m-3", Name: "高喜民", HometownText: "山东省胶县"},
	})
	hits, _ := x.Search(ctx, search.Query{Name: "高喜娃", Hometown: "胶县", BirthYear: 1925})
	for _, h := range hits {
		fmt.Printf("%s %s %.2f %v\n", h.MartyrID, h.Name, h.Score, h.Reasons)
	}
	// Output:
	// m-1 高善娃 0.90 [{shape 喜/善 形近} {hometown 籍贯相符 山东省胶县大店村} {birth_year 出生年份相符 1925}]
	// m-3 高喜民 0.72 [{other 娃/民 不同} {hometown 籍贯相符 山东省胶县}]
	// m-2 高善娃 0.61 [{shape 喜/善 形近} {hometown 籍贯不同 胶县/山东省掖县}]
}
