// mandelbrot: renders the Mandelbrot set into a PNG, tile by tile. Each tile (a band of
// rows) is a task; the workers compute its pixels and the master pastes the tiles into
// the picture as they come back, then writes it with libpng.
//
//   mpiexec -n 4 beowulf-mandelbrot -o mandelbrot.png
//   wrote mandelbrot.png: 800x600 pixels, 38 tiles
//
//   beowulf-mandelbrot [-o FILE] [--width W] [--height H] [--iterations I] [--rows R]
//     --rows  rows per tile (default 16)
#include <png.h>

#include <beowulf/taskfarm.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

/// Rows [row, row + rows) of a width x height picture.
struct Tile {
  int row, rows, width, height, iterations;
};

using Pixels = std::vector<std::uint8_t>;  // RGB, row after row

/// A colour for a point that escaped after `n` of `max` iterations (black: inside).
void colour(double n, int max, std::uint8_t* rgb) {
  if (n >= max) {
    rgb[0] = rgb[1] = rgb[2] = 0;
    return;
  }
  // A log scale spreads the many quick escapes over the palette; Bernstein polynomials
  // run from dark blue through gold to white-ish.
  double t = std::log1p(n) / std::log1p(max);
  rgb[0] = static_cast<std::uint8_t>(9 * (1 - t) * t * t * t * 255);
  rgb[1] = static_cast<std::uint8_t>(15 * (1 - t) * (1 - t) * t * t * 255);
  rgb[2] = static_cast<std::uint8_t>(8.5 * (1 - t) * (1 - t) * (1 - t) * t * 255);
}

Pixels render(const Tile& t) {
  Pixels out(static_cast<std::size_t>(t.rows) * t.width * 3);
  double scale = 3.0 / t.width;  // the view: x in [-2.2, 0.8], centred on y = 0
  for (int y = 0; y < t.rows; ++y) {
    double ci = (t.row + y - t.height / 2.0) * scale;
    for (int x = 0; x < t.width; ++x) {
      double cr = -2.2 + x * scale, zr = 0, zi = 0;
      int n = 0;
      while (n < t.iterations && zr * zr + zi * zi <= 4.0) {
        double next = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = next;
        ++n;
      }
      double smooth = n;  // fractional escape count: no bands between iteration counts
      if (n < t.iterations) smooth = n + 1 - std::log2(std::log2(zr * zr + zi * zi) / 2);
      colour(std::max(0.0, smooth), t.iterations, &out[(static_cast<std::size_t>(y) * t.width + x) * 3]);
    }
  }
  return out;
}

struct Args {
  std::string output = "mandelbrot.png";
  int width = 800, height = 600, iterations = 500, rows = 16;
  std::string error;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) {
      a.error = "missing a value after " + arg;
      break;
    }
    const char* value = argv[++i];
    if (arg == "-o") a.output = value;
    else if (arg == "--width") a.width = std::atoi(value);
    else if (arg == "--height") a.height = std::atoi(value);
    else if (arg == "--iterations") a.iterations = std::atoi(value);
    else if (arg == "--rows") a.rows = std::atoi(value);
    else a.error = "unknown option " + arg;
  }
  if (a.error.empty() && (a.width <= 0 || a.height <= 0 || a.iterations <= 0 || a.rows <= 0))
    a.error = "--width, --height, --iterations and --rows take positive numbers";
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  beowulf::mpi::Session mpi(argc, argv);
  Args args = parse(argc, argv);
  if (!args.error.empty()) {
    if (mpi.is_master()) std::fprintf(stderr, "beowulf-mandelbrot: %s\n", args.error.c_str());
    return 2;  // every rank sees the same argv: all leave before the farm starts
  }
  beowulf::TaskFarm<Tile, Pixels> farm(mpi, render);
  if (!farm.is_master()) return 0;

  std::vector<Tile> tiles;
  for (int row = 0; row < args.height; row += args.rows)
    tiles.push_back({row, std::min(args.rows, args.height - row), args.width, args.height, args.iterations});
  Pixels image(static_cast<std::size_t>(args.width) * args.height * 3);
  farm.for_each_result(tiles, [&](const Tile& t, beowulf::Outcome<Pixels>&& pixels) {
    std::memcpy(&image[static_cast<std::size_t>(t.row) * args.width * 3], pixels.value().data(),
                pixels.value().size());
  });

  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(args.width);
  png.height = static_cast<png_uint_32>(args.height);
  png.format = PNG_FORMAT_RGB;
  if (!png_image_write_to_file(&png, args.output.c_str(), 0, image.data(), 0, nullptr)) {
    std::fprintf(stderr, "beowulf-mandelbrot: write %s: %s\n", args.output.c_str(), png.message);
    return 1;
  }
  std::printf("wrote %s: %dx%d pixels, %zu tiles\n", args.output.c_str(), args.width, args.height,
              tiles.size());
  return 0;
}
