// PNG image grids (image_grid.hpp).
#include "harness/report/image_grid.hpp"

#include <png.h>

#include <cstdio>

#include "harness/core/error.hpp"

namespace ocb::harness {

void write_png_rgb(const std::filesystem::path& path, int width, int height, const std::vector<std::uint8_t>& rgb) {
  std::filesystem::create_directories(path.parent_path());
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw core::Error("cannot write " + path.string());
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(f);
    throw core::Error("libpng failed writing " + path.string());
  }
  png_init_io(png, f);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < height; ++y) png_write_row(png, const_cast<png_bytep>(rgb.data() + static_cast<std::size_t>(y) * width * 3));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(f);
}

void write_image_grid(const std::filesystem::path& path, const datasets::ImageSet& set, const std::vector<ImagePanel>& panels,
                      int rows, int cols, int zoom) {
  const int h = static_cast<int>(set.shape.h), w = static_cast<int>(set.shape.w), c = static_cast<int>(set.shape.c);
  const int pad = 2, gap = 16, cell_w = w * zoom + pad, cell_h = h * zoom + pad;
  const int panel_w = cols * cell_w + pad, panel_h = rows * cell_h + pad;
  const int width = static_cast<int>(panels.size()) * panel_w + (static_cast<int>(panels.size()) - 1) * gap, height = panel_h;
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(width) * height * 3, 255);
  auto put = [&](int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    std::uint8_t* p = rgb.data() + (static_cast<std::size_t>(y) * width + x) * 3;
    p[0] = r;
    p[1] = g;
    p[2] = b;
  };
  for (std::size_t p = 0; p < panels.size(); ++p) {
    const int x0 = static_cast<int>(p) * (panel_w + gap);
    for (std::size_t k = 0; k < panels[p].images.size() && static_cast<int>(k) < rows * cols; ++k) {
      const int gx = x0 + pad + static_cast<int>(k) % cols * cell_w, gy = pad + static_cast<int>(k) / cols * cell_h;
      const std::uint8_t* img = set.pixels.data() + panels[p].images[k] * set.shape.features();
      for (int y = 0; y < h * zoom; ++y)
        for (int x = 0; x < w * zoom; ++x) {
          const int sy = y / zoom, sx = x / zoom;
          const std::uint8_t r = img[sy * w + sx], g = img[(c > 1 ? h * w : 0) + sy * w + sx],
                             b = img[(c > 2 ? 2 * h * w : 0) + sy * w + sx];
          put(gx + x, gy + y, r, g, b);
        }
      if (k < panels[p].marked.size() && panels[p].marked[k])
        for (int t = 0; t < w * zoom; ++t)
          for (int e : {0, 1}) {
            put(gx + t, gy + e, 230, 20, 20);
            put(gx + t, gy + h * zoom - 1 - e, 230, 20, 20);
            if (t < h * zoom) {
              put(gx + e, gy + t, 230, 20, 20);
              put(gx + w * zoom - 1 - e, gy + t, 230, 20, 20);
            }
          }
    }
  }
  write_png_rgb(path, width, height, rgb);
}

}  // namespace ocb::harness
