package media

import "fmt"

// URLs of what the media routes serve, for the API to hand out. base is
// the scheme and host the client used (BaseURL), or "" for paths.

// DerivativeURL is the JPEG derivative w pixels wide.
func DerivativeURL(base, sha string, w int) string {
	return fmt.Sprintf("%s/media/%s/w%d.jpg", base, sha, w)
}

// InfoURL is the IIIF Image API info.json of an image.
func InfoURL(base, sha string) string { return base + "/iiif/" + sha + "/info.json" }

// ManifestURL is the IIIF Presentation manifest of a portrait.
func ManifestURL(base, portraitID string) string {
	return base + "/presentation/manifest/" + portraitID
}

// CollectionURL is the IIIF Presentation collection of an exhibit.
func CollectionURL(base, exhibitID string) string {
	return base + "/presentation/collection/" + exhibitID
}
