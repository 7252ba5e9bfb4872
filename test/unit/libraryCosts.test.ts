import * as assert from 'node:assert/strict';
import { analyzeModule, analyzeTree, DEBIAN_PYTHON, fn, requireDebianModules } from './helpers';

/**
 * Calls into compiled libraries cost what their arguments make them cost: an image's pixels, a buffer's
 * bytes, a password hash's rounds. Small functions of each class, analyzed without an interpreter (the
 * knowledge base alone).
 */
async function verdicts(source: string): Promise<Map<string, { verdict: string; evidence: string; sequential: number }>> {
  const reports = await analyzeTree({ 'jobs.py': source }, { python: null });
  const functions = new Map((reports.get('jobs.py')?.functions ?? []).map((f) => [f.qualname, f]));
  return new Map([...functions.keys()].map((name) => {
    const report = fn(functions, name);
    return [name, { verdict: report.verdict, evidence: report.evidence.map((e) => e.reason).join(' | '), sequential: report.predicted?.seconds.sequential ?? 0 }];
  }));
}

describe('compiled libraries: cost by the size of what they work on', () => {
  it('numpy: `a @ b` is a matrix product priced by both shapes; above OpenBLAS\'s threading threshold it is on every core already (trivial: no pool gains), below it (small arrays in a loop) the call\'s own overhead holds the GIL', async () => {
    const results = await verdicts(
      [
        'import numpy as np',
        '',
        'rng = np.random.default_rng(7)',
        'READERS = rng.standard_normal((1200, 256))',
        'TOPICS = rng.standard_normal((256, 1200))',
        'SMALL = rng.standard_normal((40, 40))',
        '',
        'def affinity(i):',
        '    scores = READERS @ TOPICS',
        '    scores = scores @ TOPICS.T',
        '    return int(np.argmax(scores[i]))',
        '',
        'def small_products(i):',
        '    total = 0.0',
        '    for k in range(20_000):',
        '        total += float((SMALL @ SMALL)[0, 0])',
        '    return total',
        '',
        'def tall_by_unknown(i, weights):',
        '    return (np.ones((48_000, 128)) @ weights).sum()',
        '',
      ].join('\n'),
    );
    // A parameter of unknown shape: a square one (128 × 128) assumed, not a second tall matrix (48,000 × 48,000).
    const tall = results.get('tall_by_unknown');
    assert.match(tall?.evidence ?? '', /matrix product in BLAS/);
    assert.ok((tall?.sequential ?? 0) < 8 * 2 * 48_000 * 128 * 128 * 1e-10, `sequential ${tall?.sequential}`);
    // An unknown operand beside a long inner dimension is a vector (`X.T @ y`), not a 60,000 × 60,000 matrix.
    const tallVector = await verdicts(['import numpy as np', '', 'X = np.ones((60_000, 400))', '', 'def gradient(i, y):', '    return (X.T @ y).sum()', ''].join('\n'));
    assert.match(tallVector.get('gradient')?.evidence ?? '', /X @ …: matrix product in BLAS/);
    assert.ok((tallVector.get('gradient')?.sequential ?? Infinity) < 8 * 2 * 60_000 * 400 * 1e-9, `sequential ${tallVector.get('gradient')?.sequential}`);
    // Without numpy, an operand of unknown type is not priced as a matrix: `@` is the function's arithmetic.
    const plain = await verdicts(['def combine(a, b):', '    return a @ b', ''].join('\n'));
    assert.doesNotMatch(plain.get('combine')?.evidence ?? '', /cannot tell|@|BLAS/);
    const affinity = results.get('affinity');
    assert.equal(affinity?.verdict, 'trivial', affinity?.evidence);
    assert.match(affinity?.evidence ?? '', /READERS @ …: matrix product in BLAS with the GIL released, on every core already/);
    // A product of 1200·256 by 256·1200 is 1200·1200·256 multiply-adds: about 0.7 GFLOP a call at least.
    assert.ok((affinity?.sequential ?? 0) > 8 * 2 * 1200 * 1200 * 256 * 1e-11, `sequential ${affinity?.sequential}`);
    const small = results.get('small_products');
    assert.equal(small?.verdict, 'cpu', small?.evidence);
  });


  it('numpy: a single value first (`np.interp(x, xp, fp)` at one point, `np.minimum(6.5, draws)`, a local bound to arithmetic on a number) is broadcast over the other arguments: priced by the largest of them (a 12-point table: trivial), and `TABLE.size` of an array the code sizes is its elements', async () => {
    const results = await verdicts(
      [
        'import numpy as np',
        '',
        'VOLTS = np.array([14.4, 14.1, 13.9, 13.8, 13.7, 13.6, 13.5, 13.4, 13.2, 12.9, 12.2, 10.8])',
        'USED = np.linspace(0.0, 1.0, VOLTS.size)',
        '',
        'def days_left(i):',
        '    used = float(np.interp(12.4 + (i % 18) * 0.1, VOLTS[::-1], USED[::-1]))',
        '    return round((1.0 - used) * 2_400, 1)',
        '',
        'def capped(i):',
        '    draws = np.random.default_rng(i).exponential(0.4, 2_000_000)',
        '    return float(np.minimum(6.5, draws).sum())',
        '',
        'def codes(i, points):',
        '    return np.random.default_rng(i).integers(0, 9, size=len(points))',
        '',
        'LEVELS = np.array([0.5, 1.5, 3.0])',
        '',
        'def alert_level(i):',
        '    excess = (i * 0.37) % 5',
        '    return int(np.digitize(excess, LEVELS))',
        '',
      ].join('\n'),
    );
    // The single value bound to a local first (`excess = (i * 0.37) % 5`) is as single as written in place.
    const alert = results.get('alert_level');
    assert.equal(alert?.verdict, 'trivial', alert?.evidence);
    assert.doesNotMatch(alert?.evidence ?? '', /sizes assumed/);
    const days = results.get('days_left');
    assert.equal(days?.verdict, 'trivial', days?.evidence);
    assert.doesNotMatch(days?.evidence ?? '', /sizes assumed/);
    // Measured (interp_probe, load 15): 1.8 µs a call at one point; np.minimum(6.5, a) of 1,000,000 elements 8.3 ms.
    assert.ok((days?.sequential ?? Infinity) < 8 * 1e-5, `days_left: sequential ${days?.sequential}`);
    const capped = results.get('capped');
    assert.match(capped?.evidence ?? '', /np\.minimum: numpy kernels run in C and release the GIL for large arrays(?!, but on data this small)/);
    assert.ok((capped?.sequential ?? 0) > 8 * 2_000_000 * 1e-9, `capped: sequential ${capped?.sequential}`);
    // A draw's `size=` tells its shape, not its single values: of a size not told, an array of unknown size.
    assert.match(results.get('codes')?.evidence ?? '', /integers: numpy kernels run in C and release the GIL for large arrays(?!, but on data this small)/);
  });

  it('Pillow: an image whose size the code tells is priced by its pixels (a 16×16 icon is trivial, a 4000×3000 poster native work)', async () => {
    const results = await verdicts(
      [
        'import io',
        'from PIL import Image, ImageDraw',
        '',
        'def icon(i):',
        '    img = Image.new("RGB", (16, 16), (i, 0, 0))',
        '    pen = ImageDraw.Draw(img)',
        '    pen.rectangle((2, 2, 13, 13), outline=(255, 255, 255))',
        '    out = io.BytesIO()',
        '    img.save(out, "PNG")',
        '    return out.getvalue()',
        '',
        'def poster(i):',
        '    img = Image.new("RGB", (4000, 3000), (i, 0, 0))',
        '    out = io.BytesIO()',
        '    img.save(out, "JPEG")',
        '    return out.tell()',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('icon')?.verdict, 'trivial', results.get('icon')?.evidence);
    assert.equal(results.get('poster')?.verdict, 'native', results.get('poster')?.evidence);
  });

  it('items of a list a helper grows by appends and returns (`return study`, `return tuple(scans)`) are typed by what is appended and counted by the appends\' loops: a loop over them calls Pillow 3 times, not an unknown method ~100 times', async () => {
    const results = await verdicts(
      [
        'import functools',
        'from PIL import Image, ImageFilter',
        '',
        '@functools.lru_cache(maxsize=None)',
        'def _study(views=3):',
        '    study = []',
        '    for k in range(views):',
        '        plate = Image.new("L", (2000, 1600), k)',
        '        study.append(plate)',
        '    return study',
        '',
        'def _scans():',
        '    scans = []',
        '    for page in range(2):',
        '        scans.append(Image.new("L", (1654, 1165), page))',
        '    return tuple(scans)',
        '',
        'def smoothed_means(i):',
        '    means = []',
        '    for plate in _study():',
        '        smooth = plate.filter(ImageFilter.GaussianBlur(4))',
        '        means.append(smooth.getpixel((i, i)))',
        '    return means',
        '',
        'def deskewed(i):',
        '    return [page.rotate(1.5, expand=True).size for page in _scans()]',
        '',
      ].join('\n'),
    );
    const smoothed = results.get('smoothed_means');
    assert.match(smoothed?.evidence ?? '', /plate\.filter \(in a loop\): Pillow image operations run in C with the GIL released/);
    assert.doesNotMatch(smoothed?.evidence ?? '', /cannot tell|~100 items assumed/);
    assert.equal(smoothed?.verdict, 'native', smoothed?.evidence);
    assert.match(results.get('deskewed')?.evidence ?? '', /page\.rotate \(in a loop\): Pillow image operations run in C with the GIL released/);
  });

  it('items of a comprehension or a literal a helper returns (`return [Image.fromarray(…) for …]`) are typed by the call that makes each: a loop over them calls Pillow, not methods the analysis cannot see', async () => {
    const results = await verdicts(
      [
        'import functools',
        'import numpy as np',
        'from PIL import Image',
        '',
        '@functools.lru_cache(maxsize=None)',
        'def _photos(station):',
        '    generator = np.random.default_rng(station)',
        '    return [Image.fromarray(generator.integers(0, 256, (1_800, 2_400, 3), dtype=np.uint8), "RGB") for _ in range(3)]',
        '',
        'def _pages():',
        '    return (Image.new("L", (1654, 1165), 0), Image.new("L", (1654, 1165), 255))',
        '',
        'def thumbnails(i):',
        '    sizes = []',
        '    for photo in _photos(i % 2):',
        '        small = photo.copy()',
        '        small.thumbnail((640, 640), Image.LANCZOS)',
        '        sizes.append(small.convert("L").size)',
        '    return sizes',
        '',
        'def deskewed(i):',
        '    return [page.rotate(1.5 + i, expand=True).size for page in _pages()]',
        '',
      ].join('\n'),
    );
    const thumbnails = results.get('thumbnails');
    assert.match(thumbnails?.evidence ?? '', /small\.thumbnail \(in a loop\): Pillow image operations run in C with the GIL released/);
    assert.doesNotMatch(thumbnails?.evidence ?? '', /cannot tell/);
    assert.equal(thumbnails?.verdict, 'native', thumbnails?.evidence);
    assert.match(results.get('deskewed')?.evidence ?? '', /page\.rotate \(in a loop\): Pillow image operations run in C with the GIL released/);
  });

  it('items of a list an instance grows in its methods (`self.loans.append(loan)`) are typed by what is appended: a method looping over them calls their class\'s method, not a call the analysis cannot see', async () => {
    const results = await verdicts(
      [
        'import datetime',
        'from dataclasses import dataclass',
        '',
        '@dataclass',
        'class Loan:',
        '    issued: datetime.date',
        '    days: int',
        '',
        '    def due(self):',
        '        return self.issued + datetime.timedelta(days=self.days)',
        '',
        'class Ledger:',
        '    def __init__(self, i, loans=5_000):',
        '        self.loans = []',
        '        for k in range(loans):',
        '            loan = Loan(datetime.date(2024, 1, 1) + datetime.timedelta(days=k % 365), 21)',
        '            self.loans.append(loan)',
        '',
        '    def overdue(self, today=datetime.date(2025, 1, 1)):',
        '        return sum(1 for loan in self.loans if loan.due() < today)',
        '',
        '    def latest(self):',
        '        late = []',
        '        for loan in self.loans:',
        '            late.append(loan.due())',
        '        return max(late)',
        '',
      ].join('\n'),
    );
    const latest = results.get('Ledger.latest');
    assert.match(latest?.evidence ?? '', /loan\.due \(in a loop\): calls Loan\.due/);
    assert.doesNotMatch(latest?.evidence ?? '', /cannot tell/);
    assert.notEqual(latest?.verdict, 'unknown', latest?.evidence);
  });

  it('a line of a text split into lines (`for segment in text.splitlines()`) is short: a regex match on it is the call\'s overhead under the GIL, not an assumed buffer released', async () => {
    const results = await verdicts(
      [
        'import regex',
        '',
        'LOC = regex.compile(r"^LOC\\+147\\+(?P<bay>\\d{3})")',
        '',
        'def bays(text):',
        '    found = 0',
        '    for segment in text.splitlines():',
        '        if LOC.match(segment) is not None:',
        '            found += 1',
        '    return found',
        '',
      ].join('\n'),
    );
    assert.match(results.get('bays')?.evidence ?? '', /LOC\.match \(in a loop\): [^|]*holds the GIL/);
  });

  it('regex (not re) hands the GIL off at every match on a short text: threads are predicted several times slower than one thread for a loop of such matches (measured 4.8× in two threads), re\'s only serialize', async () => {
    const predicted = async (module: string): Promise<{ sequential: number; threads: number }> => {
      const source = [
        `import ${module}`,
        '',
        `TICKET = ${module}.compile(r"^(?P<ticket>T\\d+);(?P<net>\\d+)$")`,
        '',
        'def count(i):',
        '    found = 0',
        '    for k in range(50_000):',
        '        if TICKET.match(f"T{k};{i}") is not None:',
        '            found += 1',
        '    return found',
        '',
      ].join('\n');
      const reports = await analyzeTree({ 'jobs.py': source }, { python: null });
      const seconds = fn(new Map((reports.get('jobs.py')?.functions ?? []).map((f) => [f.qualname, f])), 'count').predicted?.seconds;
      return { sequential: seconds?.sequential ?? 0, threads: seconds?.threads ?? 0 };
    };
    const releasing = await predicted('regex');
    assert.ok(releasing.threads > 2 * releasing.sequential, `regex: ${JSON.stringify(releasing)}`);
    const holding = await predicted('re');
    assert.ok(holding.threads < 1.5 * holding.sequential, `re: ${JSON.stringify(holding)}`);
  });

  it('regex fuzzy patterns compiled in place and zipped with their names (`for symptom, pattern in zip(SYMPTOMS, patterns)`): each loop name is an item of its iterable, the pattern priced by its errors (a dict comprehension and a `for` statement)', async () => {
    const results = await verdicts(
      [
        'import regex',
        '',
        'SYMPTOMS = ("helium leak", "arcing", "wafer slipped", "endpoint missed", "chuck temperature", "throttle valve")',
        'LOG = [f"2026-01-{k % 28 + 1:02d} ETCH{k % 20:02d} note {k}" for k in range(2_000)]',
        '',
        'def fuzzy_counts(i):',
        '    patterns = [regex.compile(f"(?:{symptom}){{e<=1}}", regex.IGNORECASE) for symptom in SYMPTOMS]',
        '    return {symptom: sum(1 for line in LOG if pattern.search(line)) for symptom, pattern in zip(SYMPTOMS, patterns)}',
        '',
        'def fuzzy_loop(i):',
        '    patterns = [regex.compile(f"(?:{symptom}){{e<=1}}") for symptom in SYMPTOMS]',
        '    counts = {}',
        '    for symptom, pattern in zip(SYMPTOMS, patterns):',
        '        counts[symptom] = sum(1 for line in LOG if pattern.search(line))',
        '    return counts',
        '',
        'def exact_counts(i):',
        '    patterns = [regex.compile(f"(?:{symptom})", regex.IGNORECASE) for symptom in SYMPTOMS]',
        '    return {symptom: sum(1 for line in LOG if pattern.search(line)) for symptom, pattern in zip(SYMPTOMS, patterns)}',
        '',
      ].join('\n'),
    );
    for (const name of ['fuzzy_counts', 'fuzzy_loop']) {
      const result = results.get(name);
      assert.match(result?.evidence ?? '', /pattern\.search \(in a loop\): fuzzy matching \(up to 1 error\) tries every position/, name);
      assert.equal(result?.verdict, 'cpu', `${name}: ${result?.evidence ?? ''}`);
    }
    // 12,000 searches of a short line a call: with one error allowed, ~9 times the same loop's unfuzzy searches.
    const fuzzy = results.get('fuzzy_counts')?.sequential ?? 0;
    const exact = results.get('exact_counts')?.sequential ?? 0;
    assert.ok(fuzzy > 5 * exact, `fuzzy ${fuzzy} s against exact ${exact} s for 8 calls`);
  });

  it('a line of a file opened in the code (`for line in log` of `with open(path) as log`) is short as a split line is: a regex match on it holds the GIL', async () => {
    const results = await verdicts(
      [
        'import regex',
        '',
        'TICKET = regex.compile(r"^(?P<ticket>T\\d{7});(?P<net>\\d+)$")',
        '',
        'def reconcile(path):',
        '    found = 0',
        '    with open(path, encoding="ascii") as log:',
        '        for line in log:',
        '            if TICKET.match(line.rstrip("\\n")) is not None:',
        '                found += 1',
        '    return found',
        '',
      ].join('\n'),
    );
    assert.match(results.get('reconcile')?.evidence ?? '', /TICKET\.match \(in a loop\): [^|]*holds the GIL, is most of it/);
  });

  it('items of a list an instance makes in place (`self.stacks = [Stack(bay) for …]`) are those instances: a method looping over them calls their class\'s method', async () => {
    const results = await verdicts(
      [
        'class Stack:',
        '    def __init__(self, bay):',
        '        self.bay = bay',
        '        self.tiers = []',
        '',
        '    def weight(self):',
        '        return sum(c * 2 for c in self.tiers)',
        '',
        'class Plan:',
        '    def __init__(self, i, bays=40):',
        '        self.stacks = [Stack(bay) for bay in range(bays)]',
        '',
        '    def heaviest(self):',
        '        return max(stack.weight() for stack in self.stacks)',
        '',
      ].join('\n'),
    );
    const heaviest = results.get('Plan.heaviest');
    assert.match(heaviest?.evidence ?? '', /stack\.weight \(in a loop\): calls Stack\.weight/);
    assert.notEqual(heaviest?.verdict, 'unknown', heaviest?.evidence);
  });

  it('an item of a collection made in place is typed through `enumerate`, a mapping\'s `.values()`/`.items()` and a subscript: a method called on it is its class\'s, not an unknown call', async () => {
    const results = await verdicts(
      [
        'class Stack:',
        '    def weight(self):',
        '        return sum(c * 2 for c in range(50_000))',
        '',
        'def by_position(i):',
        '    stacks = [Stack() for _ in range(8)]',
        '    total = 0',
        '    for k, stack in enumerate(stacks):',
        '        total += k * stack.weight()',
        '    return total',
        '',
        'def by_name(i):',
        '    stacks = {name: Stack() for name in ("a", "b", "c")}',
        '    total = 0',
        '    for stack in stacks.values():',
        '        total += stack.weight()',
        '    for _, stack in stacks.items():',
        '        total -= stack.weight()',
        '    return total',
        '',
        'def by_key(i):',
        '    stacks = {name: Stack() for name in ("a", "b", "c")}',
        '    stack = stacks["b"]',
        '    return stack.weight()',
        '',
      ].join('\n'),
    );
    for (const name of ['by_position', 'by_name', 'by_key']) {
      const result = results.get(name);
      assert.match(result?.evidence ?? '', /stack\.weight[^|]*: calls Stack\.weight/, name);
      assert.doesNotMatch(result?.evidence ?? '', /cannot tell/, name);
    }
  });

  it('lxml: an element\'s attribute value (`p.get("begin")`) is a string: a function splitting one does a str method\'s work, not a walk of the tree', async () => {
    const results = await verdicts(
      [
        'from lxml import etree',
        '',
        'def _ms(value):',
        '    hours, minutes = value.split(":")',
        '    return int(hours) * 60 + int(minutes)',
        '',
        'def starts(data):',
        '    root = etree.fromstring(data)',
        '    found = []',
        '    for p in root.iter("p"):',
        '        found.append(_ms(p.get("begin")))',
        '    return found',
        '',
      ].join('\n'),
    );
    assert.match(results.get('_ms')?.evidence ?? '', /value\.split: a str method/);
  });

  it('lxml: what an XPath node set holds are elements (`for event in feed.xpath("//e")`: `event.xpath(…)` is libxml2\'s XPath again, not a call it cannot tell)', async () => {
    const results = await verdicts(
      [
        'from lxml import etree',
        '',
        'def bright(data):',
        '    feed = etree.fromstring(data)',
        '    kinds = []',
        '    for event in feed.xpath("//event[@mag < 18.5]"):',
        '        kinds.append(event.xpath("string(class/@value)"))',
        '    return kinds',
        '',
      ].join('\n'),
    );
    assert.match(results.get('bright')?.evidence ?? '', /event\.xpath \(in a loop\): libxml2 evaluates XPath with the GIL released/);
    assert.doesNotMatch(results.get('bright')?.evidence ?? '', /cannot tell/);
  });

  it('a comprehension\'s name is an item of what it loops over, as a `for` statement\'s is (`Counter(event.xpath(…) for event in found)`, `found = feed.xpath(…)`: an element)', async () => {
    const results = await verdicts(
      [
        'from collections import Counter',
        'from lxml import etree',
        '',
        'def classes(data):',
        '    feed = etree.fromstring(data)',
        '    found = feed.xpath("//event[@mag < 18.5]")',
        '    return Counter(event.xpath("string(class/@value)") for event in found)',
        '',
      ].join('\n'),
    );
    assert.match(results.get('classes')?.evidence ?? '', /event\.xpath \(in a loop\): libxml2 evaluates XPath with the GIL released/);
    assert.doesNotMatch(results.get('classes')?.evidence ?? '', /cannot tell/);
  });

  it('Pillow\'s ImageOps (Python over the image\'s own operations in C, read through Debian\'s Pillow) passes over the image with the GIL released and gives an image: what is done to its result is Pillow\'s work too', async () => {
    requireDebianModules(['PIL']);
    const functions = await analyzeModule(
      [
        'from PIL import Image, ImageFilter, ImageOps',
        '',
        'def proof(i):',
        '    artwork = Image.new("RGB", (2400, 1600), (i, 0, 0))',
        '    fitted = ImageOps.fit(artwork, (1500, 1000))',
        '    separation = ImageOps.equalize(fitted.convert("L"))',
        '    return separation.filter(ImageFilter.GaussianBlur(4)).getbbox()',
        '',
      ].join('\n'),
      { python: DEBIAN_PYTHON },
    );
    const proof = fn(functions, 'proof');
    const evidence = JSON.stringify(proof.evidence);
    assert.equal(proof.verdict, 'native', evidence);
    assert.match(evidence, /ImageOps\.fit: ImageOps passes over the image through Pillow's operations in C with the GIL released/);
    assert.match(evidence, /fitted\.convert: Pillow image operations run in C with the GIL released/);
  });

  it('Pillow: a rank filter (MedianFilter, MinFilter, ModeFilter) selects in its window at every pixel holding the GIL, by the window\'s area: CPU work; a blur of the same photo is native work', async () => {
    const source = (filter: string): string =>
      [
        'from PIL import Image, ImageFilter',
        '',
        'def denoise(i):',
        '    photo = Image.new("L", (1200, 1200), i)',
        `    return photo.filter(${filter}).getbbox()`,
        '',
      ].join('\n');
    const median = (await verdicts(source('ImageFilter.MedianFilter(5)'))).get('denoise');
    assert.equal(median?.verdict, 'cpu', median?.evidence);
    assert.match(median?.evidence ?? '', /a rank filter \(a 5×5 window\) selects at every pixel in C holding the GIL/);
    const small = (await verdicts(source('ImageFilter.MinFilter()'))).get('denoise');
    assert.match(small?.evidence ?? '', /a rank filter \(a 3×3 window\)/);
    assert.ok((small?.sequential ?? 0) < (median?.sequential ?? 0) / 2, `3×3 ${small?.sequential}, 5×5 ${median?.sequential}`);
    const blur = (await verdicts(source('ImageFilter.GaussianBlur(3)'))).get('denoise');
    assert.equal(blur?.verdict, 'native', blur?.evidence);
  });

  it('Pillow: a crop copies its box (told by the box, `(x, 0, x + 64, 64)`), and what is done to the crop is priced by the box, not by the whole image', async () => {
    const results = await verdicts(
      [
        'from PIL import Image',
        '',
        'POSTER = Image.new("RGB", (4000, 3000))',
        '',
        'def tile(i):',
        '    left = (i % 8) * 64',
        '    return POSTER.crop((left, 0, left + 64, 64)).resize((32, 32)).getpixel((0, 0))',
        '',
        'def blurred(i):',
        '    return POSTER.resize((4000, 3000)).getpixel((i, 0))',
        '',
      ].join('\n'),
    );
    const tile = results.get('tile')?.sequential ?? Infinity;
    const blurred = results.get('blurred')?.sequential ?? 0;
    // 64×64 = 4,096 pixels copied and resampled against 12 million: thousands of times less work.
    assert.ok(tile * 1000 < blurred, `tile ${tile} s, whole image ${blurred} s: ${results.get('tile')?.evidence}`);
  });

  it('SQLAlchemy Core on SQLite through an engine the analysis cannot type: connect/execute are in-process work, and a `.limit(10)` query returns 10 rows: trivial; the same on PostgreSQL waits on the server', async () => {
    const source = (url: string): string =>
      [
        'import sqlalchemy as sa',
        '',
        '_BOARD = None',
        '',
        'def _board():',
        `    engine = sa.create_engine(${url})`,
        '    return engine, sa.Table("scores", sa.MetaData(), sa.Column("rating", sa.Integer))',
        '',
        'def top_ten(i):',
        '    global _BOARD',
        '    if _BOARD is None:',
        '        _BOARD = _board()',
        '    engine, scores = _BOARD',
        '    query = sa.select(scores.c.rating).where(scores.c.rating > i).order_by(scores.c.rating.desc()).limit(10)',
        '    with engine.connect() as conn:',
        '        return [tuple(row) for row in conn.execute(query)]',
        '',
      ].join('\n');
    const onSqlite = (await verdicts(source('f"sqlite:///{_BOARD_DIR}/board.db"'))).get('top_ten');
    assert.equal(onSqlite?.verdict, 'trivial', onSqlite?.evidence);
    const onServer = (await verdicts(source('"postgresql://db.internal/scores"'))).get('top_ten');
    assert.equal(onServer?.verdict, 'io', onServer?.evidence);
  });

  it('SQLAlchemy Core on SQLite: a table is as large as the rows its module inserts (in a set-up function, at its defaults); a GROUP BY over it reads every row in SQLite\'s C code (native work), a key lookup returns a few rows (trivial), and a table whose rows are not told stays a small in-process call', async () => {
    const results = await verdicts(
      [
        'import functools',
        'import sqlalchemy as sa',
        '',
        'metadata = sa.MetaData()',
        'postings = sa.Table("postings", metadata, sa.Column("account", sa.String, index=True), sa.Column("day", sa.String), sa.Column("amount", sa.Float))',
        'audit = sa.Table("audit", metadata, sa.Column("account", sa.String), sa.Column("amount", sa.Float))',
        '',
        'def _fill(engine, rows=300_000):',
        '    with engine.begin() as conn:',
        '        conn.execute(postings.insert(), [{"account": f"A{k % 5_000}", "day": f"2024-{k % 12 + 1:02d}", "amount": k * 0.5} for k in range(rows)])',
        '',
        '@functools.lru_cache(maxsize=None)',
        'def _ledger():',
        '    engine = sa.create_engine("sqlite:///ledger.db")',
        '    metadata.create_all(engine)',
        '    _fill(engine)',
        '    return engine',
        '',
        'def positions(i):',
        '    query = sa.select(postings.c.account, sa.func.sum(postings.c.amount)).where(postings.c.amount > i).group_by(postings.c.account)',
        '    with _ledger().connect() as conn:',
        '        return [tuple(row) for row in conn.execute(query)]',
        '',
        'def balance_lines(i):',
        '    query = sa.select(postings.c.day, postings.c.amount).where(postings.c.account == f"A{i}")',
        '    with _ledger().connect() as conn:',
        '        return [f"{day}: {amount:.2f}" for day, amount in conn.execute(query)]',
        '',
        'def audit_totals(i):',
        '    query = sa.select(audit.c.account, sa.func.sum(audit.c.amount)).group_by(audit.c.account)',
        '    with _ledger().connect() as conn:',
        '        return len(conn.execute(query).all())',
        '',
      ].join('\n'),
    );
    const positions = results.get('positions');
    assert.equal(positions?.verdict, 'native', positions?.evidence);
    assert.match(positions?.evidence ?? '', /SQLite reads the table's 300,000 rows in C with the GIL released/);
    const lookup = results.get('balance_lines');
    assert.equal(lookup?.verdict, 'trivial', lookup?.evidence);
    assert.match(lookup?.evidence ?? '', /~10 rows of a key lookup assumed/);
    const unknown = results.get('audit_totals');
    assert.doesNotMatch(unknown?.evidence ?? '', /SQLite reads/);
    assert.ok((unknown?.sequential ?? Infinity) < 0.05, `sequential ${unknown?.sequential}`);
  });

  it('SQLAlchemy Core on SQLite: a clause chained on a statement bound to a name (`query = query.where(…)`) reads the rows that statement reads', async () => {
    const results = await verdicts(
      [
        'import functools',
        'import sqlalchemy as sa',
        '',
        'metadata = sa.MetaData()',
        'specimens = sa.Table("specimens", metadata, sa.Column("family", sa.String), sa.Column("department", sa.String), sa.Column("year", sa.Integer))',
        '',
        '@functools.lru_cache(maxsize=None)',
        'def _collection(rows=300_000):',
        '    engine = sa.create_engine("sqlite:///collection.db")',
        '    metadata.create_all(engine)',
        '    with engine.begin() as conn:',
        '        conn.execute(specimens.insert(), [{"family": f"F{k % 400}", "department": ("ZOO", "BOT")[k % 2], "year": 1820 + k % 200} for k in range(rows)])',
        '    return engine',
        '',
        'def by_family(i):',
        '    department = (None, "ZOO", "BOT")[i % 3]',
        '    query = sa.select(specimens.c.family, sa.func.count()).group_by(specimens.c.family)',
        '    if department:',
        '        query = query.where(specimens.c.department == department)',
        '    with _collection().connect() as conn:',
        '        return [tuple(row) for row in conn.execute(query)]',
        '',
      ].join('\n'),
    );
    const byFamily = results.get('by_family');
    assert.equal(byFamily?.verdict, 'native', byFamily?.evidence);
    assert.match(byFamily?.evidence ?? '', /SQLite reads the table's 300,000 rows in C with the GIL released/);
  });

  it('SQLAlchemy Core on SQLite: an insert given a list of rows (an executemany) is Python a row, holding the GIL, and a hand-off of the GIL a row that threads queue for (slower in threads than in one)', async () => {
    const reports = await analyzeTree(
      {
        'jobs.py': [
          'from sqlalchemy import Column, Float, MetaData, String, Table, create_engine',
          '',
          'metadata = MetaData()',
          'charges = Table("charges", metadata, Column("account", String(12)), Column("amount", Float))',
          '',
          'def post_charges(i, count=20_000):',
          '    engine = create_engine("sqlite://")',
          '    metadata.create_all(engine)',
          '    rows = [{"account": f"AC{k}", "amount": k * 0.5} for k in range(count)]',
          '    with engine.begin() as connection:',
          '        connection.execute(charges.insert(), rows)',
          '    engine.dispose()',
          '',
        ].join('\n'),
      },
      { python: null },
    );
    const posted = fn(new Map((reports.get('jobs.py')?.functions ?? []).map((f) => [f.qualname, f])), 'post_charges');
    const evidence = posted.evidence.map((e) => e.reason).join(' | ');
    assert.match(evidence, /inserts 20,000 rows, each one's parameters processed in Python, holding the GIL/);
    const { sequential, threads } = posted.predicted?.seconds ?? {};
    assert.ok((threads ?? 0) > 1.2 * (sequential ?? Infinity), `threads ${threads} against sequential ${sequential}: ${evidence}`);
  });

  it("SQLAlchemy Core on SQLite: a table whose columns have sized types (`String(12)`) is still as large as the rows its module inserts (the `Table(…)` call's result is no size of rows)", async () => {
    const results = await verdicts(
      [
        'import functools',
        'from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, func, insert, select',
        '',
        'metadata = MetaData()',
        'versions = Table("versions", metadata, Column("shot", String(12)), Column("vendor", String(20)), Column("frames", Integer))',
        '',
        '@functools.lru_cache(maxsize=None)',
        'def _tracker(rows=200_000):',
        '    engine = create_engine("sqlite:///tracker.db")',
        '    metadata.create_all(engine)',
        '    with engine.begin() as conn:',
        '        conn.execute(insert(versions), [{"shot": f"SH{k % 4_000:04d}", "vendor": "A", "frames": k % 480} for k in range(rows)])',
        '    return engine',
        '',
        'def summary(i):',
        '    query = select(versions.c.vendor, func.sum(versions.c.frames)).group_by(versions.c.vendor)',
        '    with _tracker().connect() as conn:',
        '        return conn.execute(query).all()',
        '',
      ].join('\n'),
    );
    const summary = results.get('summary');
    assert.equal(summary?.verdict, 'native', summary?.evidence);
    assert.match(summary?.evidence ?? '', /SQLite reads the table's 200,000 rows in C with the GIL released/);
  });

  it('serializers: priced by the values they write (a record of 4 fields: sub-microsecond; 23,040 records of a two-clause comprehension: milliseconds), and one given a module collection reads every object of it, which a forked worker copies', async () => {
    const priced = await verdicts(
      [
        'import json, msgpack',
        'EVENTS = [{"reader": n, "type": "view", "article": n % 997, "ms": n % 5000} for n in range(60_000)]',
        '',
        'def frames(i, stations=160, slots=144):',
        '    return [{"station": s, "slot": slot, "qc": "ok"} for s in range(stations) for slot in range(slots)]',
        '',
        'def pack_one(i):',
        '    return len(msgpack.packb(EVENTS[i]))',
        '',
        'def pack_frames(i):',
        '    return len(json.dumps(frames(i)))',
        '',
        'def pack_module(i):',
        '    return len(msgpack.packb(EVENTS))',
        '',
      ].join('\n'),
    );
    const one = priced.get('pack_one');
    assert.ok((one?.sequential ?? Infinity) < 8 * 2e-6, `${one?.sequential}: ${one?.evidence}`);
    const many = priced.get('pack_frames');
    assert.match(many?.evidence ?? '', /23,040 tracked objects per call/, many?.evidence);
    assert.ok((many?.sequential ?? 0) > 8 * 1e-3, `${many?.sequential}: ${many?.evidence}`);
    assert.match(priced.get('pack_module')?.evidence ?? '', /reads every object of EVENTS \(60,000 items of the module\).*per worker/, priced.get('pack_module')?.evidence);
  });

  it('a streaming (de)compressor made by a factory (`zlib.decompressobj()`, `ZstdCompressor().compressobj()`, `brotli.Compressor()`, `ZstdCompressor().stream_writer(out)`) compresses each chunk it is given in C with the GIL released: native work priced by the chunks, not calls nothing can be said about', async () => {
    const results = await verdicts(
      [
        'import brotli',
        'import lz4.frame',
        'import zlib',
        'import zstandard',
        '',
        'def archive_brotli(source, chunk=1 << 20):',
        '    compressor = brotli.Compressor(quality=5)',
        '    written = 0',
        '    while block := source.read(chunk):',
        '        written += len(compressor.process(block))',
        '    return written + len(compressor.finish())',
        '',
        'def restore(packed, chunk=256 * 1024):',
        '    decompressor = zlib.decompressobj()',
        '    return sum(len(decompressor.decompress(packed[start : start + chunk])) for start in range(0, 64 * chunk, chunk))',
        '',
        'def archive(source, chunk=1 << 20):',
        '    compressor = zstandard.ZstdCompressor(level=9).compressobj()',
        '    written = 0',
        '    while block := source.read(chunk):',
        '        written += len(compressor.compress(block))',
        '    return written + len(compressor.flush())',
        '',
        'def archive_to_file(source, target, chunk=1 << 20):',
        '    with open(target, "wb") as out, zstandard.ZstdCompressor(level=8).stream_writer(out, closefd=False) as packed:',
        '        while block := source.read(chunk):',
        '            packed.write(block)',
        '',
        'def archive_lz4(source, chunk=1 << 20):',
        '    with lz4.frame.LZ4FrameCompressor(compression_level=3) as compressor:',
        '        written = len(compressor.begin())',
        '        while block := source.read(chunk):',
        '            written += len(compressor.compress(block))',
        '        return written + len(compressor.flush())',
        '',
      ].join('\n'),
    );
    for (const name of ['restore', 'archive', 'archive_brotli', 'archive_to_file', 'archive_lz4']) {
      const result = results.get(name);
      assert.equal(result?.verdict, 'native', result?.evidence);
      assert.doesNotMatch(result?.evidence ?? '', /cannot tell what this calls/);
    }
    assert.match(results.get('archive')?.evidence ?? '', /compressor\.compress \(in a loop\): compression runs in C with the GIL released/);
    // A compressing writer (`stream_writer`): its write compresses the chunk, it is not a file's write waiting on I/O.
    assert.match(results.get('archive_to_file')?.evidence ?? '', /packed\.write \(in a loop\): compression runs in C with the GIL released/);
  });

  it('lxml: building a tree (`etree.Element`, `etree.SubElement`) makes each element through its Python proxy holding the GIL, priced per element; a few elements are trivial', async () => {
    const results = await verdicts(
      [
        'from lxml import etree',
        '',
        'def export(i, records=20_000):',
        '    root = etree.Element("Export", month=str(i))',
        '    for k in range(records):',
        '        record = etree.SubElement(root, "Record", number=str(k))',
        '        etree.SubElement(record, "Kind").text = "fire"',
        '        etree.SubElement(record, "Units").text = str(k % 4)',
        '    return len(etree.tostring(root))',
        '',
        'def envelope(i):',
        '    root = etree.Element("Envelope")',
        '    etree.SubElement(root, "Id").text = str(i)',
        '    return root',
        '',
      ].join('\n'),
    );
    const exported = results.get('export');
    assert.equal(exported?.verdict, 'cpu', exported?.evidence);
    assert.match(exported?.evidence ?? '', /etree\.SubElement \(in a loop\): walks the tree through Python proxies, holding the GIL/);
    assert.equal(results.get('envelope')?.verdict, 'trivial', results.get('envelope')?.evidence);
  });

  it('numpy: a percentile or a median (a copy, then a partition) costs ~40 element-wise operations an element, a sort n log2 n comparisons; all release the GIL', async () => {
    const results = await verdicts(
      [
        'import numpy as np',
        '',
        'TRAVEL = np.random.default_rng(1).lognormal(5.3, 0.45, 6_000_000)',
        '',
        'def roots(i):',
        '    return float(np.sqrt(TRAVEL)[i])',
        '',
        'def slowest(i):',
        '    return float(np.percentile(TRAVEL, 90))',
        '',
        'def middle(i):',
        '    return float(np.median(TRAVEL))',
        '',
        'def ranked(i):',
        '    return int(np.argsort(TRAVEL)[i])',
        '',
        'def ranked_in_place(i):',
        '    copy = TRAVEL.copy()',
        '    copy.sort()',
        '    return float(copy[i])',
        '',
      ].join('\n'),
    );
    const elementwise = results.get('roots')?.sequential ?? 0;
    assert.ok(elementwise > 0, results.get('roots')?.evidence);
    for (const name of ['slowest', 'middle']) {
      const result = results.get(name);
      assert.equal(result?.verdict, 'native', result?.evidence);
      assert.ok((result?.sequential ?? 0) > 20 * elementwise, `${name}: ${result?.sequential} s, an element-wise sqrt ${elementwise} s`);
    }
    const selected = results.get('slowest')?.sequential ?? 0;
    for (const name of ['ranked', 'ranked_in_place']) {
      const result = results.get(name);
      assert.equal(result?.verdict, 'native', result?.evidence);
      assert.ok((result?.sequential ?? 0) > 5 * selected, `${name}: ${result?.sequential} s, a percentile ${selected} s`);
    }
  });

  it('zlib: a checksum (crc32, adler32) reads its buffer once, far cheaper than compressing it; both release the GIL', async () => {
    const results = await verdicts(
      [
        'import zlib',
        '',
        'DATA = b"x" * (1 << 26)',
        '',
        'def crc(i):',
        '    return zlib.crc32(DATA, i)',
        '',
        'def adler(i):',
        '    return zlib.adler32(DATA, i)',
        '',
        'def packed(i):',
        '    return len(zlib.compress(DATA, 6))',
        '',
      ].join('\n'),
    );
    const packed = results.get('packed')?.sequential ?? 0;
    for (const name of ['crc', 'adler']) {
      const result = results.get(name);
      assert.ok((result?.sequential ?? Infinity) * 10 < packed, `${name}: ${result?.sequential} s, compression ${packed} s`);
      assert.match(result?.evidence ?? '', /checksum runs in C with the GIL released/);
    }
  });

  it('a child process (subprocess.run, os.system, Popen.communicate) is a program run and waited for: tens of milliseconds, not a network round trip\'s few', async () => {
    const results = await verdicts(
      [
        'import os',
        'import subprocess',
        'import requests',
        '',
        'def gzip_cli(i):',
        '    return subprocess.run(["gzip", "-k", f"/tmp/log{i}"], check=True).returncode',
        '',
        'def shell(i):',
        '    return os.system(f"sort /tmp/log{i} > /tmp/sorted{i}")',
        '',
        'def piped(i):',
        '    proc = subprocess.Popen(["sha256sum", f"/tmp/log{i}"], stdout=subprocess.PIPE)',
        '    return proc.communicate()[0]',
        '',
        'def fetch(i):',
        '    return requests.get(f"https://example.org/items/{i}", timeout=5).status_code',
        '',
      ].join('\n'),
    );
    const fetch = results.get('fetch')?.sequential ?? 0;
    for (const name of ['gzip_cli', 'shell', 'piped']) {
      const result = results.get(name);
      assert.equal(result?.verdict, 'io', name);
      assert.ok((result?.sequential ?? 0) >= 5 * fetch, `${name}: ${result?.sequential} s for 8 calls, a request ${fetch} s`);
    }
  });

  it('children a coroutine gathers: a computing program\'s (sha1sum) fill the cores within one call, so gathering calls gains nothing; a waiting one\'s (curl) overlap', async () => {
    const results = await verdicts(
      [
        'import asyncio',
        '',
        'async def _sha1sum(path):',
        '    process = await asyncio.create_subprocess_exec("sha1sum", path, stdout=asyncio.subprocess.PIPE)',
        '    out, _ = await process.communicate()',
        '    return out.split()[0]',
        '',
        'async def _curl(url):',
        '    process = await asyncio.create_subprocess_exec("curl", "-sS", url, stdout=asyncio.subprocess.PIPE)',
        '    out, _ = await process.communicate()',
        '    return out',
        '',
        'async def manifest(paths):',
        '    return await asyncio.gather(*(_sha1sum(path) for path in paths))',
        '',
        'async def fetch_all(urls):',
        '    return await asyncio.gather(*(_curl(url) for url in urls))',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('manifest')?.verdict, 'trivial');
    assert.match(results.get('manifest')?.evidence ?? '', /runs sha1sum, which computes in the child process, on the machine's cores/);
    assert.equal(results.get('fetch_all')?.verdict, 'async-io');
  });

  it('bcrypt: a few password hashes are tens of milliseconds each (2^cost rounds), native work', async () => {
    const results = await verdicts(
      ['import bcrypt', '', 'def enrol(i, count=2):', '    return [bcrypt.hashpw(f"user-{i}-{n}".encode(), bcrypt.gensalt()) for n in range(count)]', ''].join('\n'),
    );
    const enrol = results.get('enrol');
    assert.equal(enrol?.verdict, 'native', enrol?.evidence);
    // 8 calls of 2 hashes at cost 12 (gensalt's default): 2^12 rounds of ~50 µs each, seconds in all.
    assert.ok((enrol?.sequential ?? 0) > 1, `predicted ${enrol?.sequential} s for 8 calls`);
  });

  it('scrypt (cryptography\'s Scrypt(…).derive, hashlib.scrypt): tens of milliseconds a key in OpenSSL with the GIL released, native work, not the library\'s Python', async () => {
    const results = await verdicts(
      [
        'import hashlib',
        'from cryptography.hazmat.primitives.kdf.scrypt import Scrypt',
        '',
        'def stretch(i, signups=3):',
        '    keys = []',
        '    for k in range(signups):',
        '        kdf = Scrypt(salt=f"salt-{i}-{k}".encode().ljust(16, b"."), length=32, n=2**14, r=8, p=1)',
        '        keys.append(kdf.derive(f"reader-{i}-{k}".encode()))',
        '    return keys[0].hex()',
        '',
        'def stretch_stdlib(i):',
        '    return hashlib.scrypt(f"reader-{i}".encode(), salt=b"0123456789abcdef", n=2**14, r=8, p=1).hex()',
        '',
      ].join('\n'),
    );
    for (const name of ['stretch', 'stretch_stdlib']) assert.equal(results.get(name)?.verdict, 'native', results.get(name)?.evidence);
    assert.ok((results.get('stretch_stdlib')?.sequential ?? 0) > 0.1, `predicted ${results.get('stretch_stdlib')?.sequential} s for 8 calls`);
    assert.match(results.get('stretch')?.evidence ?? '', /kdf\.derive \(in a loop\): OpenSSL derives the key \(scrypt: memory-hard\) with the GIL released/);
    // 8 calls of 3 keys at n = 2**14, r = 8: ~2**17 blocks of ~0.2 µs each, tens of milliseconds a key.
    assert.ok((results.get('stretch')?.sequential ?? 0) > 0.3, `predicted ${results.get('stretch')?.sequential} s for 8 calls`);
  });

  it('scrypt\'s work is read from its parameters (hashlib\'s keywords, the Scrypt instance\'s constructor in the function or the module): n × r × p blocks, dearer past the cache (32 MB at n = 2**15, r = 8), n = 2**14, r = 8 assumed when not told', async () => {
    const results = await verdicts(
      [
        'import hashlib',
        'from cryptography.hazmat.primitives.kdf.scrypt import Scrypt',
        '',
        'COST = 2**15',
        'ARCHIVE_KDF = Scrypt(salt=b"archive-salt-0001", length=32, n=COST, r=8, p=1)',
        '',
        'def light(i):',
        '    return hashlib.scrypt(f"reader-{i}".encode(), salt=b"0123456789abcdef", n=2**12, r=8, p=1).hex()',
        '',
        'def heavy(i):',
        '    return hashlib.scrypt(f"reader-{i}".encode(), salt=b"0123456789abcdef", n=1 << 15, r=8, p=1).hex()',
        '',
        'def heavy_instance(i):',
        '    kdf = Scrypt(salt=f"salt-{i}".encode().ljust(16, b"."), length=32, n=2**15, r=8, p=2)',
        '    return kdf.derive(f"reader-{i}".encode()).hex()',
        '',
        'def module_instance(i):',
        '    return ARCHIVE_KDF.derive(f"reader-{i}".encode()).hex()',
        '',
        'def assumed(i, cost):',
        '    return Scrypt(salt=b"0123456789abcdef", length=32, n=cost, r=8, p=1).derive(f"reader-{i}".encode()).hex()',
        '',
      ].join('\n'),
    );
    const seconds = (name: string): number => results.get(name)?.sequential ?? 0;
    for (const name of ['light', 'heavy', 'heavy_instance', 'module_instance']) assert.equal(results.get(name)?.verdict, 'native', results.get(name)?.evidence);
    // 8 times the blocks, each dearer out of the cache (priors 0.23 and 0.6 µs a block).
    assert.ok(seconds('heavy') > 15 * seconds('light'), `n = 2**15: ${seconds('heavy')} s, n = 2**12: ${seconds('light')} s for 8 calls`);
    assert.ok(Math.abs(seconds('module_instance') / seconds('heavy') - 1) < 0.1, `the module's instance: ${seconds('module_instance')} s, hashlib's: ${seconds('heavy')} s`);
    assert.ok(Math.abs(seconds('heavy_instance') / seconds('heavy') - 2) < 0.2, `p = 2: ${seconds('heavy_instance')} s, p = 1: ${seconds('heavy')} s`);
    // n not told: 2**14 and r = 8 assumed, four times n = 2**12's blocks at the same price (16 MB, in the cache).
    assert.ok(Math.abs(seconds('assumed') / seconds('light') - 4) < 0.4, `assumed: ${seconds('assumed')} s, n = 2**12: ${seconds('light')} s`);
  });

  it('pygments: highlighting is Python code per byte of source (~1 µs a byte), holding the GIL: a long listing is CPU work for processes, a line is trivial', async () => {
    const results = await verdicts(
      [
        'from pygments import highlight',
        'from pygments.formatters import HtmlFormatter',
        'from pygments.lexers import PythonLexer',
        '',
        'SNIPPET = "def turnout(frame):\\n    return frame.groupby(\'district\')[\'votes\'].sum()\\n"',
        '',
        'def listing(i, repeats=600):',
        '    return len(highlight(SNIPPET * repeats, PythonLexer(), HtmlFormatter(cssclass=f"g{i}")))',
        '',
        'def one_line(i):',
        '    return len(highlight(SNIPPET, PythonLexer(), HtmlFormatter()))',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('listing')?.verdict, 'cpu', results.get('listing')?.evidence);
    assert.match(results.get('listing')?.evidence ?? '', /highlight: Pygments lexes and formats in Python/);
    assert.equal(results.get('one_line')?.verdict, 'trivial', results.get('one_line')?.evidence);
  });

  it('PyYAML: a dump is Python per value it writes (~1.6 µs a byte of YAML), as a load is per byte read: 6,000 records dumped are CPU work for processes', async () => {
    const results = await verdicts(
      [
        'import yaml',
        '',
        'RECORDS = [{"id": k, "name": f"item {k}", "price": k * 0.5} for k in range(6_000)]',
        '',
        'def export_catalogue(i):',
        '    return len(yaml.safe_dump(RECORDS[i:], sort_keys=False))',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('export_catalogue')?.verdict, 'cpu', results.get('export_catalogue')?.evidence);
    assert.match(results.get('export_catalogue')?.evidence ?? '', /yaml\.safe_dump: PyYAML emits in Python under the GIL, value by value/);
  });

  it('regex: findall over a large text takes the GIL back for every match: CPU work for processes, not threads', async () => {
    const results = await verdicts(
      [
        'import regex',
        '',
        'TEXT = "\\n".join(f"#tag{n} @user{n} said hello to @team{n % 7}" for n in range(200_000))',
        'TAGS = regex.compile(r"[#@]\\p{L}+\\d*")',
        '',
        'def tags(i):',
        '    return len(TAGS.findall(TEXT, pos=i))',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('tags')?.verdict, 'cpu', results.get('tags')?.evidence);
  });

  it('random.py\'s distributions and statistics\' means are Python code: a Monte Carlo loop or a stdev of 30,000 items is CPU work', async () => {
    const results = await verdicts(
      [
        'import random, statistics',
        '',
        'def simulate(i):',
        '    rnd = random.Random(i)',
        '    hits = 0',
        '    for _ in range(80_000):',
        '        if rnd.uniform(0, 1) + rnd.gauss(0, 1) > 1.5:',
        '            hits += 1',
        '    return hits',
        '',
        'def spread(i):',
        '    samples = [float(n % 97 + i) for n in range(30_000)]',
        '    return statistics.stdev(samples)',
        '',
        'def pick(i):',
        '    return random.Random(i).random()',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('simulate')?.verdict, 'cpu', results.get('simulate')?.evidence);
    assert.equal(results.get('spread')?.verdict, 'cpu', results.get('spread')?.evidence);
    assert.equal(results.get('pick')?.verdict, 'trivial', results.get('pick')?.evidence);
  });

  it('random.py\'s sample(pool, k) and choices(pool, k=n) are priced per item drawn: 8,000 subsamples of 40 are CPU work, of 1 trivial', async () => {
    const results = await verdicts(
      [
        'import random',
        '',
        'POOL = list(range(300))',
        '',
        'def rarefy(i, draws=8_000):',
        '    rnd = random.Random(i)',
        '    return sum(len(set(rnd.sample(POOL, 40))) for _ in range(draws))',
        '',
        'def resample(i, draws=8_000):',
        '    rnd = random.Random(i)',
        '    return sum(len(rnd.choices(POOL, k=40)) for _ in range(draws))',
        '',
        'def one_each(i, draws=8_000):',
        '    rnd = random.Random(i)',
        '    return sum(len(rnd.sample(POOL, 1)) for _ in range(draws))',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('rarefy')?.verdict, 'cpu', results.get('rarefy')?.evidence);
    // Measured on Debian's 3.11: a sample of 40 of 300 ~10 µs, choices of 40 ~2.5-3 µs; 8,000 of them a call, 8 calls.
    const sequential = (name: string): number => results.get(name)?.sequential ?? 0;
    assert.ok(sequential('rarefy') > 8 * 8_000 * 5e-6 && sequential('rarefy') < 8 * 8_000 * 20e-6, `${sequential('rarefy')}`);
    assert.ok(sequential('resample') > 8 * 8_000 * 1.5e-6 && sequential('resample') < 8 * 8_000 * 6e-6, `${sequential('resample')}`);
    assert.equal(results.get('one_each')?.verdict, 'trivial', results.get('one_each')?.evidence);
  });

  it('Python libraries and what the code tells of sizes: Markdown of a literal, gzip of a small dict\'s JSON, a filtered pandas frame (3 rows: trivial; 400,000: native), networkx centrality, AES-GCM', async () => {
    const results = await verdicts(
      [
        'import gzip, json',
        'import markdown',
        'import networkx as nx',
        'import numpy as np',
        'import pandas as pd',
        'from cryptography.hazmat.primitives.ciphers.aead import AESGCM',
        '',
        'VISITS = pd.DataFrame({"k": [1, 2, 3], "x": [4.0, 5.0, 6.0]})',
        'CLICKS = pd.DataFrame({"k": np.arange(400_000) % 50, "x": np.ones(400_000)})',
        '',
        'def teaser(i):',
        '    return markdown.markdown(f"**Story {i}** is *new*")',
        '',
        'def card(i):',
        '    return gzip.compress(json.dumps({"id": i, "title": "hello"}).encode())',
        '',
        'def per_key(i):',
        '    frame = VISITS[VISITS["x"] > i]',
        '    return frame.groupby("k").sum()',
        '',
        'def clicks_per_key(i):',
        '    frame = CLICKS[CLICKS["x"] > i]',
        '    return frame.groupby("k").sum()',
        '',
        'def hubs(graph):',
        '    return nx.betweenness_centrality(graph)',
        '',
        'def seal(key, blob):',
        '    return AESGCM(key).encrypt(b"0" * 12, blob, None)',
        '',
      ].join('\n'),
    );
    const expected: Record<string, string> = { teaser: 'trivial', card: 'trivial', per_key: 'trivial', clicks_per_key: 'native', hubs: 'cpu', seal: 'native' };
    for (const [name, verdict] of Object.entries(expected)) assert.equal(results.get(name)?.verdict, verdict, `${name}: ${results.get(name)?.evidence}`);
  });

  it('sorted() with a key function: a Python call per item and slower key comparisons (50,000 records by a tuple key is CPU work; without a key, trivial)', async () => {
    const results = await verdicts(
      [
        'PLAYERS = [{"name": f"p{n:05d}", "score": n * 7 % 1000} for n in range(50_000)]',
        'SCORES = [n * 7 % 1000 for n in range(50_000)]',
        '',
        'def leaderboard(i):',
        '    return sorted(PLAYERS, key=lambda p: (-p["score"], p["name"]))[: 10 + i]',
        '',
        'def top_scores(i):',
        '    return sorted(SCORES)[: 10 + i]',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('leaderboard')?.verdict, 'cpu', results.get('leaderboard')?.evidence);
    assert.equal(results.get('top_scores')?.verdict, 'trivial', results.get('top_scores')?.evidence);
  });

  it('numpy shapes flow through element-wise functions (np.cumsum, np.sqrt), np.where of sized operands and np.linspace\'s points, and a list of numbers the code sizes is an array of as many: a small triangle\'s arithmetic is its calls\' own overhead (trivial), a large one\'s native work', async () => {
    const source = (years: number): string =>
      [
        'import numpy as np',
        '',
        `def reserves(i, years=${years}):`,
        '    rnd = np.random.default_rng(i)',
        '    increments = rnd.gamma(2.0, 500_000, size=(years, years)) * np.linspace(1.0, 0.1, years)',
        '    cumulative = np.sqrt(np.cumsum(increments, axis=1))',
        '    triangle = np.where(cumulative > i, cumulative, np.nan)',
        '    factors = [np.nansum(triangle[k]) / np.nansum(triangle[k + 1]) for k in range(years - 1)]',
        '    return float(np.prod(factors))',
        '',
      ].join('\n');
    const small = (await verdicts(source(12))).get('reserves');
    assert.equal(small?.verdict, 'trivial', small?.evidence);
    assert.doesNotMatch(small?.evidence ?? '', /unknown size|with larger inputs/);
    // The large one's kernels are native work; its 2 × 2,999 nansums over rows of 3,000 elements each release the GIL for
    // microseconds (numpy releases it over 500 elements), hand-offs that keep threads from gaining (measured at a load of
    // 16: threads 1.21x sequential's, the bcrypt control 0.81): the verdict between cpu and native is the hand-offs'.
    const large = (await verdicts(source(3000))).get('reserves');
    assert.notEqual(large?.verdict, 'trivial', large?.evidence);
    assert.match(large?.evidence ?? '', /np\.cumsum: numpy kernels run in C and release the GIL for large arrays/);
  });

  it('numpy on the rows of an array in a Python loop: each call is microseconds of overhead under the GIL (cpu), not BLAS work (native)', async () => {
    const results = await verdicts(
      [
        'import numpy as np',
        '',
        'rng = np.random.default_rng(1)',
        'POINTS = rng.random((30_000, 6))',
        '',
        'def closest(i):',
        '    origin = POINTS[i]',
        '    best = []',
        '    for k, row in enumerate(POINTS):',
        '        best.append((float(np.dot(row - origin, row - origin)), k))',
        '    return min(best)[1]',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('closest')?.verdict, 'cpu', results.get('closest')?.evidence);
  });

  it('numpy\'s functions written in Python (np.std, np.median, a row\'s .mean()) cost several times a ufunc\'s overhead a call: a loop of them over small rows is priced by it', async () => {
    const source = (call: string): string =>
      ['import numpy as np', '', 'ROWS = np.ones((12_000, 150))', '', 'def summary(i):', '    return [' + call + ' for row in ROWS]', ''].join('\n');
    const seconds = async (call: string): Promise<number> => (await verdicts(source(call))).get('summary')?.sequential ?? 0;
    const ufunc = await seconds('np.sqrt(row)');
    const ratio = (measured: number): string => `${(measured / ufunc).toFixed(2)}x np.sqrt's`;
    const std = await seconds('np.std(row)');
    assert.ok(std > 3 * ufunc, ratio(std));
    const median = await seconds('np.median(row)');
    assert.ok(median > 3 * ufunc, ratio(median));
    const mean = await seconds('row.mean()');
    assert.ok(mean > 1.5 * ufunc && mean < std, ratio(mean));
  });

  it('SciPy\'s solve_ivp steps in Python holding the GIL: its steps are the span over max_step (a ward\'s curves are CPU work for processes); without max_step they are assumed', async () => {
    const source = [
      'import numpy as np',
      'from scipy.integrate import solve_ivp',
      '',
      'def _model(t, y, k):',
      '    return [-k * y[0], k * y[0]]',
      '',
      'def ward(i, patients=10, days=3):',
      '    total = 0.0',
      '    for _ in range(patients):',
      '        solution = solve_ivp(_model, (0, 24 * days), [1.0, 0.0], args=(0.2,), max_step=0.2)',
      '        total += float(solution.y[1][-1])',
      '    return total',
      '',
      'def adaptive(i):',
      '    return solve_ivp(_model, (0, 10), [1.0, 0.0], args=(0.2,)).t.size',
      '',
    ].join('\n');
    const results = await verdicts(source);
    const ward = results.get('ward');
    assert.equal(ward?.verdict, 'cpu', ward?.evidence);
    // 10 patients × 360 steps a call, 8 calls.
    assert.ok((ward?.sequential ?? 0) > 8 * 10 * 360 * 2e-5, `${ward?.sequential} s for 8 calls`);
    // Without max_step: ~100 steps a call assumed, against ward's 3,600.
    const ratio = (ward?.sequential ?? 0) / (results.get('adaptive')?.sequential ?? Infinity);
    assert.ok(ratio > 20 && ratio < 60, `ward over adaptive: ${ratio}`);
  });

  it('numpy: a method only arrays have (`red.astype(…)`, `.reshape`) called on a value of unknown type in a module that imports numpy takes the value for an array; without numpy it is a call the analysis cannot tell', async () => {
    const source = (imports: string): string =>
      [imports, '', 'def stress(tiles):', '    total = 0.0', '    for red, nir in tiles:', '        ratio = red.astype("float64")', '        total += float(ratio.reshape(-1)[0])', '    return total', ''].join('\n');
    const withNumpy = (await verdicts(source('import numpy as np'))).get('stress')?.evidence ?? '';
    assert.match(withNumpy, /red\.astype \(in a loop\): numpy kernels/);
    assert.doesNotMatch(withNumpy, /astype[^|]*cannot tell/);
    const without = (await verdicts(source('import json'))).get('stress')?.evidence ?? '';
    assert.match(without, /red\.astype \(in a loop\): cannot tell what this calls/);
  });

  it('regex: a search of a short text holds the GIL in effect (it takes the GIL back after a scan shorter than the hand-off: threads queue), one of a long text releases it', async () => {
    const results = await verdicts(
      [
        'import regex',
        '',
        'STRENGTH = regex.compile(r"(?<amount>\\d+)\\s*(?<unit>mg|ml)\\b", regex.IGNORECASE)',
        'NAMES = [f"amoxicillin {k % 500} mg tablets" for k in range(200_000)]',
        'LEAFLET = "take one tablet twice a day " * 40_000',
        '',
        'def strengths(i):',
        '    return sum(1 for name in NAMES if STRENGTH.search(name.lower()))',
        '',
        'def leaflet_doses(i):',
        '    return sum(1 for _ in range(40) if STRENGTH.search(LEAFLET))',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('strengths')?.verdict, 'cpu', results.get('strengths')?.evidence);
    assert.match(results.get('strengths')?.evidence ?? '', /STRENGTH\.search \(in a loop\): regex matches str and bytes with the GIL released, but on data this small/);
    assert.equal(results.get('leaflet_doses')?.verdict, 'native', results.get('leaflet_doses')?.evidence);
  });

  it('pandas\' scalars (a date, a duration) made in a loop are microseconds each, not a frame\'s work: a small frame built from 400 of them is trivial', async () => {
    const results = await verdicts(
      [
        'import random',
        'import pandas as pd',
        '',
        'def expiring(i, lots=400):',
        '    rnd = random.Random(i)',
        '    today = pd.Timestamp("2024-06-03")',
        '    frame = pd.DataFrame({"expires": [today + pd.Timedelta(days=rnd.randint(-10, 720)) for _ in range(lots)]})',
        '    return int((frame["expires"] - today).dt.days.between(0, 60).sum())',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('expiring')?.verdict, 'trivial', results.get('expiring')?.evidence);
    assert.match(results.get('expiring')?.evidence ?? '', /pd\.Timedelta \(in a loop\): makes one pandas scalar/);
  });

  it('pandas\' pivot_table is a group-by per aggregation and a reshape: priced at several calls\' work per row: native work on 150,000 rows', async () => {
    const results = await verdicts(
      [
        'import numpy as np',
        'import pandas as pd',
        '',
        'VISITS = pd.DataFrame({"region": np.arange(150_000) % 9, "section": np.arange(150_000) % 7, "device": np.arange(150_000) % 3, "seconds": np.ones(150_000)})',
        '',
        'def engagement(i):',
        '    frame = VISITS[VISITS["seconds"] > i]',
        '    pivot = frame.pivot_table(index=["region", "section"], columns="device", values="seconds", aggfunc=["mean", "sum"])',
        '    ranks = frame.groupby("section")["seconds"].rank(pct=True)',
        '    return pivot.shape, float(ranks.mean())',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('engagement')?.verdict, 'native', results.get('engagement')?.evidence);
  });

  it('pandas on a small frame whose rows the code tells (a dict of sized columns, a module frame) is each call\'s own overhead under the GIL: trivial; the same calls on a larger frame (over ~100,000 values) are native work, a group-by too, and a column is one column of the frame; its string methods (.str) are Python per value', async () => {
    const results = await verdicts(
      [
        'import random',
        'import numpy as np',
        'import pandas as pd',
        '',
        'HOURS = pd.DataFrame({"hour": [h % 24 for h in range(300)], "n": [h % 7 for h in range(300)]})',
        '',
        'def busiest(i, rows=400):',
        '    rnd = random.Random(i)',
        '    counts = pd.DataFrame({"hour": [rnd.randrange(24) for _ in range(rows)], "n": [rnd.randint(0, 40) for _ in range(rows)]})',
        '    per_hour = counts.groupby("hour")["n"].sum()',
        '    return int(per_hour.idxmax())',
        '',
        'def module_frame(i):',
        '    near = HOURS[HOURS["n"].between(0, i)]',
        '    return near.groupby("hour")["n"].sum().round(2).to_dict()',
        '',
        'TITLES = pd.DataFrame({"title": [f"Galaxy Quest {k} Deluxe" for k in range(50_000)]})',
        '',
        'def title_words(i):',
        '    return TITLES["title"].str.split().str.len().sum() + i',
        '',
        'WIDE = pd.DataFrame({"a": np.ones(40_000), "b": np.ones(40_000), "c": np.ones(40_000), "d": np.ones(40_000)})',
        'NARROW = pd.DataFrame({"a": np.ones(40_000)})',
        '',
        'def wide(i):',
        '    return WIDE[WIDE["a"] > i].sort_values("b")',
        '',
        'def narrow(i):',
        '    return NARROW[NARROW["a"] > i].sort_values("a")',
        '',
        'def wide_grouped(i):',
        '    return WIDE[WIDE["a"] > i].groupby("b").sum()',
        '',
        'def column_of_wide(i):',
        '    return WIDE["a"].rank(pct=True).iloc[i]',
        '',
        'def by_column_name(frame: pd.DataFrame):',
        '    return frame.sort_values("station")',
        '',
        'def seven_rows(i):',
        '    return pd.DataFrame({"station": ["a", "b", "c", "d", "e", "f", "g"]}).sort_values("station")',
        '',
        'def large(i, rows=500_000):',
        '    counts = pd.DataFrame({"hour": [k % 24 for k in range(rows)], "n": [k % 41 for k in range(rows)]})',
        '    return counts.groupby("hour")["n"].sum().sort_values().iloc[i % 24]',
        '',
      ].join('\n'),
    );
    for (const name of ['busiest', 'module_frame']) assert.equal(results.get(name)?.verdict, 'trivial', `${name}: ${results.get(name)?.evidence}`);
    assert.match(results.get('busiest')?.evidence ?? '', /holds the GIL|overhead/);
    assert.notEqual(results.get('large')?.verdict, 'trivial', results.get('large')?.evidence);
    // pandas' kernels release the GIL over ~100,000 values (rows × columns): 40,000 rows of 4 columns, not of 1.
    assert.equal(results.get('wide')?.verdict, 'native', results.get('wide')?.evidence);
    assert.notEqual(results.get('narrow')?.verdict, 'native', results.get('narrow')?.evidence);
    // pandas' group-by releases the GIL as its other kernels do: two threads' group-bys ran 1.6-1.9x at 300,000 rows, idle
    // (pandas_gil_study.py, whose sha256 control read 1.98 and Python loop 1.10).
    assert.equal(results.get('wide_grouped')?.verdict, 'native', results.get('wide_grouped')?.evidence);
    // A column by its name is 40,000 values, not the frame's 160,000.
    assert.notEqual(results.get('column_of_wide')?.verdict, 'native', results.get('column_of_wide')?.evidence);
    // pandas' string methods run in Python per value: 50,000 titles split are CPU work under the GIL.
    assert.equal(results.get('title_words')?.verdict, 'cpu', results.get('title_words')?.evidence);
    // A column's name is not the frame: a frame of unknown size is priced at the rows assumed, not at the name's 7 bytes.
    const assumed = results.get('by_column_name')?.sequential ?? 0;
    assert.ok(assumed > 2 * (results.get('seven_rows')?.sequential ?? Infinity), `${assumed} s: ${results.get('by_column_name')?.evidence}`);
  });

  it('objects built by a library\'s factories are typed from its source (a return annotation, `return self`): a Jinja template from Environment().from_string renders in Python; Markdown().reset().convert converts in Python', async () => {
    requireDebianModules(['jinja2', 'markdown']);
    const reports = await analyzeTree(
      {
        'pages.py': [
          'import jinja2',
          'import markdown',
          '',
          'PAGE = jinja2.Environment(autoescape=True).from_string("{% for x in xs %}<li>{{ x }}</li>{% endfor %}")',
          '',
          'def render_page(xs):',
          '    return PAGE.render(xs=xs)',
          '',
          'def convert_pages(texts):',
          '    converter = markdown.Markdown()',
          '    return [converter.reset().convert(t) for t in texts]',
          '',
        ].join('\n'),
      },
      { python: DEBIAN_PYTHON },
    );
    const functions = new Map((reports.get('pages.py')?.functions ?? []).map((f) => [f.qualname, f]));
    const render = fn(functions, 'render_page');
    assert.equal(render.verdict, 'cpu', JSON.stringify(render.evidence));
    assert.match(render.evidence[0]?.reason ?? '', /PAGE\.render: Jinja renders in Python/);
    const convert = fn(functions, 'convert_pages');
    assert.equal(convert.verdict, 'cpu', JSON.stringify(convert.evidence));
    assert.ok(convert.evidence.some((e) => /reset\(…\)\.convert \(in a loop\): Python-Markdown converts in Python/.test(e.reason)), JSON.stringify(convert.evidence));
  });

  it('SQLAlchemy on SQLite (every engine of the module a sqlite:// URL) is ORM work in this process, not a wait on a server; on a networked database it waits', async () => {
    const lookup = (url: string): string =>
      [
        'from sqlalchemy import create_engine',
        'from sqlalchemy.orm import Session',
        '',
        'def plan_of(i):',
        `    with Session(create_engine(${url})) as session:`,
        '        return session.get(dict, i)',
        '',
        'def import_rows(rows=2000):',
        `    with Session(create_engine(${url})) as session:`,
        '        for n in range(rows):',
        '            session.add(dict(n=n))',
        '        session.commit()',
        '',
      ].join('\n');
    const reports = await analyzeTree({ 'local.py': lookup('f"sqlite:///{i}.db"'), 'remote.py': lookup('"postgresql+psycopg2://db.internal/app"') });
    const verdictOf = (file: string, name: string): string => reports.get(file)?.functions.find((f) => f.qualname === name)?.verdict ?? 'missing';
    assert.equal(verdictOf('local.py', 'plan_of'), 'trivial');
    assert.equal(verdictOf('local.py', 'import_rows'), 'cpu');
    assert.equal(verdictOf('remote.py', 'plan_of'), 'io');
    assert.equal(verdictOf('remote.py', 'import_rows'), 'io');
  });

  it('a pattern\'s sub(repl, text) works over its second argument, the text (a short replacement over 120 MB of text is CPU work)', async () => {
    const results = await verdicts(
      ['import re', '', 'WORDS = re.compile(r"b+")', 'TEXT = "ab" * 60_000_000', '', 'def mask(i):', '    return WORDS.sub("-", TEXT)', ''].join('\n'),
    );
    assert.equal(results.get('mask')?.verdict, 'cpu', results.get('mask')?.evidence);
  });

  it('openpyxl: reading a workbook (load_workbook, then iter_rows) parses its XML into cells in Python holding the GIL: CPU work, not the ZIP inflation its source shows (native); a path is a file of an assumed size, bytes the code tells are priced by them', async () => {
    requireDebianModules(['openpyxl']);
    const reports = await analyzeTree(
      {
        'sheets.py': [
          'import io',
          'import openpyxl',
          'from openpyxl import load_workbook',
          '',
          'def price_list(i, path):',
          '    sheet = load_workbook(path, read_only=True).active',
          '    total = 0.0',
          '    for code, price, available in sheet.iter_rows(min_row=2, values_only=True):',
          '        if available == "Y":',
          '            total += price * (1 + i % 3)',
          '    return total',
          '',
          'def header(i):',
          '    return openpyxl.load_workbook(io.BytesIO(b"PK" * 400_000)).active.max_row + i',
          '',
        ].join('\n'),
      },
      { python: DEBIAN_PYTHON },
    );
    const functions = new Map((reports.get('sheets.py')?.functions ?? []).map((f) => [f.qualname, f]));
    const priceList = fn(functions, 'price_list');
    const evidence = priceList.evidence.map((e) => e.reason).join(' | ');
    assert.equal(priceList.verdict, 'cpu', evidence);
    assert.match(evidence, /openpyxl parses a workbook's XML into cells in Python, holding the GIL/);
    assert.doesNotMatch(evidence, /decompresses a member/);
    // 800,000 bytes told: ~0.7 s a call (py.openpyxl_read_byte ~8.5e-7 s a byte), not a 16 KiB workbook's ~14 ms.
    const header = fn(functions, 'header');
    assert.ok((header.predicted?.seconds.sequential ?? 0) > 8 * 800_000 * 4e-7, `sequential ${header.predicted?.seconds.sequential}`);
  });

  it('compressors release the GIL over the buffer but hold it for their own call: Brotli or LZ4 of a large buffer is native work, LZ4 over many 256-byte windows of it GIL-bound', async () => {
    const results = await verdicts(
      [
        'import brotli',
        'import lz4.frame',
        '',
        'DATA = b"ACGT" * 2_000_000',
        'BLOCKS = [DATA[k : k + 256] for k in range(0, len(DATA), 256)]',
        '',
        'def bundle(i):',
        '    return len(brotli.compress(DATA, quality=9)) + i',
        '',
        'def whole(i):',
        '    return len(lz4.frame.compress(DATA * 4)) + i',
        '',
        'def blocks(i):',
        '    return sum(len(lz4.frame.compress(block)) for block in BLOCKS) + i',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('bundle')?.verdict, 'native', results.get('bundle')?.evidence);
    assert.equal(results.get('whole')?.verdict, 'native', results.get('whole')?.evidence);
    assert.equal(results.get('blocks')?.verdict, 'cpu', results.get('blocks')?.evidence);
    assert.match(results.get('blocks')?.evidence ?? '', /own overhead, which holds the GIL/);
  });

  it('numpy on scalars (np.float64(x) times a rate, rounded) is a few microseconds of call overhead: trivial, not native work on arrays of an assumed size', async () => {
    const results = await verdicts(
      ['import numpy as np', '', 'RATE = 0.25', '', 'def price(units):', '    return float(np.round(np.float64(units) * RATE, 2))', '', 'def scaled(count):', '    return np.int64(count) * np.int32(3) + np.uint8(1)', ''].join('\n'),
    );
    for (const name of ['price', 'scaled']) assert.equal(results.get(name)?.verdict, 'trivial', `${name}: ${results.get(name)?.evidence}`);
  });

  it('fetch then parse: a query asking for many records (params={"rows": N}, ?items=N) sizes the reply, and parsing a large reply (pandas, lxml) outweighs the wait; a few records stay a wait', async () => {
    const results = await verdicts(
      [
        'import io',
        'import pandas as pd',
        'import requests',
        'from lxml import etree',
        '',
        'def big_sheet(i):',
        '    resp = requests.get("http://lab.example/sheet", params={"rows": 200_000, "run": i}, timeout=30)',
        '    return pd.read_csv(io.StringIO(resp.text)).shape',
        '',
        'def small_sheet(i):',
        '    resp = requests.get("http://lab.example/sheet", params={"rows": 20, "run": i}, timeout=30)',
        '    return pd.read_csv(io.StringIO(resp.text)).shape',
        '',
        'def big_feed(i):',
        '    resp = requests.get("http://lab.example/feed?items=100000", timeout=30)',
        '    return len(etree.fromstring(resp.content))',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('big_sheet')?.verdict, 'native', results.get('big_sheet')?.evidence);
    assert.equal(results.get('big_feed')?.verdict, 'native', results.get('big_feed')?.evidence);
    assert.equal(results.get('small_sheet')?.verdict, 'io', results.get('small_sheet')?.evidence);
  });

  it('fetch then pandas: a record count the request binds to a name (params={"rows": rows}, a parameter\'s default) sizes the frame pandas reads from the reply; an lxml walk of such a reply stays at its assumed records', async () => {
    const results = await verdicts(
      [
        'import io',
        'import pandas as pd',
        'import requests',
        'from lxml import etree',
        '',
        'def sightings(i, rows=30_000):',
        '    resp = requests.get("http://parks.example/sightings.csv", params={"rows": rows, "day": i}, timeout=30)',
        '    frame = pd.read_csv(io.BytesIO(resp.content))',
        '    return frame.groupby("species")["count"].sum().idxmax()',
        '',
        'def contracts(i, items=30_000):',
        '    resp = requests.get("http://coop.example/prices", params={"items": items, "day": i}, timeout=30)',
        '    root = etree.fromstring(resp.content)',
        '    return sum(float(contract.findtext("Settle")) for contract in root.iterfind("Contract"))',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('sightings')?.verdict, 'native', results.get('sightings')?.evidence);
    assert.equal(results.get('contracts')?.verdict, 'io', results.get('contracts')?.evidence);
  });

  it('a template rendered from single values only (f-strings, numbers, a parameter\'s string default, a short literal list of them) loops over nothing: trivial; rendered with a collection, a loop over its items is assumed', async () => {
    const results = await verdicts(
      [
        'from jinja2 import Template',
        '',
        'BADGE = Template("<b>{{ sample }}</b> {{ project }} box {{ box }}")',
        'ROWS = [{"id": n} for n in range(5000)]',
        '',
        'def badge(i, project="wgs"):',
        '    return BADGE.render(sample=f"S{i:06d}", project=project, freezer="F3", box=i % 81)',
        '',
        'def table(i):',
        '    return BADGE.render(sample=i, rows=ROWS)',
        '',
        'def notice(i):',
        '    return BADGE.render(sample=f"S{i}", project="wgs", steps=["thaw", "spin", "load"])',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('badge')?.verdict, 'trivial', results.get('badge')?.evidence);
    assert.equal(results.get('notice')?.verdict, 'trivial', `a short literal list is a few values: ${results.get('notice')?.evidence}`);
    assert.equal(results.get('table')?.verdict, 'cpu', results.get('table')?.evidence);
  });

  it('a text a call makes (`markdown.markdown(notes)`, `", ".join(names)`, `day.isoformat()`) is one value to a template: with a told collection beside it nothing is assumed', async () => {
    const results = await verdicts(
      [
        'import markdown',
        'from jinja2 import Template',
        '',
        'REPORT = Template("{{ summary }}{% for c in cranes %}{{ c.name }}{% endfor %} {{ crews }} {{ day }}")',
        '',
        'def report(i):',
        '    notes = f"## Day {i}\\n\\n* moves {1800 + i}"',
        '    cranes = [{"name": f"QC{c:02d}"} for c in range(8)]',
        '    return REPORT.render(summary=markdown.markdown(notes), cranes=cranes, crews=", ".join(["A", "B"]), day=str(i))',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('report')?.verdict, 'trivial', results.get('report')?.evidence);
    assert.doesNotMatch(results.get('report')?.evidence ?? '', /assumed|larger inputs/);
  });

  it('a template given collections whose sizes the code tells loops over their items (three invoices: trivial; 12,000 lines: CPU work, no size assumed); a conditional or float arithmetic is a single value', async () => {
    const results = await verdicts(
      [
        'from jinja2 import Template',
        '',
        'ADVICE = Template("{% for x in invoices %}{{ x.number }} {{ x.amount }}{% endfor %} {{ total }}")',
        'LINES = [{"kwh": 80 + n % 37, "rate": 0.27} for n in range(12_000)]',
        '',
        'def advice(i):',
        '    invoices = [{"number": f"INV-{i}-{k}", "amount": 120.5 * (k + 1)} for k in range(3)]',
        '    return ADVICE.render(ref=f"RA-{i:08d}", invoices=invoices, total=sum(x["amount"] for x in invoices))',
        '',
        'def invoice(i):',
        '    customer = {"name": f"Bakery {i}", "city": "Rivertown"}',
        '    return ADVICE.render(number=f"2024-{i:06d}", customer=customer, invoices=LINES)',
        '',
        'def letter(i):',
        '    return ADVICE.render(amount=1_250.0 + 75.5 * i, excess=250 if i % 2 else 0, days=3)',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('advice')?.verdict, 'trivial', results.get('advice')?.evidence);
    assert.equal(results.get('letter')?.verdict, 'trivial', results.get('letter')?.evidence);
    assert.equal(results.get('invoice')?.verdict, 'cpu', results.get('invoice')?.evidence);
    assert.doesNotMatch(results.get('invoice')?.evidence ?? '', /assumed/, 'the lines are counted, not assumed');
  });

  it('BeautifulSoup builds its tree in Python, per byte of the markup: a large page is CPU work (after a fetch too), a short teaser trivial', async () => {
    const results = await verdicts(
      [
        'import requests',
        'from bs4 import BeautifulSoup',
        '',
        'PAGE = "<tr><td>row</td><td>1.5</td></tr>" * 20_000',
        '',
        'def scrape(i):',
        '    return len(BeautifulSoup(PAGE, "html.parser").find_all("td"))',
        '',
        'def fetch_and_scrape(i):',
        '    resp = requests.get("http://example.test/table", params={"rows": 2000}, timeout=30)',
        '    return len(BeautifulSoup(resp.text, "html.parser").find_all("td"))',
        '',
        'def teaser(i):',
        '    return len(str(BeautifulSoup(f"<p>Planned <b>maintenance</b> in region {i}</p>", "html.parser")))',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('scrape')?.verdict, 'cpu', results.get('scrape')?.evidence);
    assert.equal(results.get('fetch_and_scrape')?.verdict, 'cpu', results.get('fetch_and_scrape')?.evidence);
    assert.equal(results.get('teaser')?.verdict, 'trivial', results.get('teaser')?.evidence);
  });

  it('PyYAML parses in Python per byte, and a document dumped from a literal is sized by the values it holds (2,000 records of 4 fields: CPU work; 3 settings: trivial)', async () => {
    const results = await verdicts(
      [
        'import yaml',
        '',
        'CATALOG = yaml.safe_dump({"items": [{"sku": f"S{n}", "price": n / 7, "tags": ["a", "b"]} for n in range(2000)]})',
        'SETTINGS = yaml.safe_dump({"debug": False, "workers": 4, "region": "eu"})',
        '',
        'def catalog_prices(i):',
        '    return yaml.safe_load(CATALOG)["items"][i]["price"]',
        '',
        'def debug_enabled(i):',
        '    return yaml.safe_load(SETTINGS)["debug"]',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('catalog_prices')?.verdict, 'cpu', results.get('catalog_prices')?.evidence);
    assert.equal(results.get('debug_enabled')?.verdict, 'trivial', results.get('debug_enabled')?.evidence);
  });

  it('a JSON reply of a sized query holds that many records: a Python loop over resp.json()["items"] of 50,000 outweighs the wait (cpu); over 5 records, the wait dominates (io)', async () => {
    const results = await verdicts(
      [
        'import requests',
        '',
        'def catalog_facets(i):',
        '    resp = requests.get("http://example.test/feed", params={"items": 50_000}, timeout=30)',
        '    facets = {}',
        '    for product in resp.json()["items"]:',
        '        for word in product["title"].lower().split():',
        '            facets[word] = facets.get(word, 0) + 1',
        '    return len(facets)',
        '',
        'def latest_orders(i):',
        '    resp = requests.get("http://example.test/orders?items=5&page=1", timeout=30)',
        '    orders = resp.json()',
        '    total = 0',
        '    for order in orders:',
        '        total += order["qty"]',
        '    return total',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('catalog_facets')?.verdict, 'cpu', results.get('catalog_facets')?.evidence);
    assert.equal(results.get('latest_orders')?.verdict, 'io', results.get('latest_orders')?.evidence);
  });
  it('a SciPy optimiser or fit given a Python function calls it at every step, holding the GIL: an objective looping over 5,000 losses is CPU work (processes), not SciPy kernels (native); a vectorized objective on a few points stays small', async () => {
    const results = await verdicts(
      [
        'import math',
        'from scipy import optimize',
        'from scipy.optimize import curve_fit',
        '',
        'LOSSES = [float(k % 97) * 1000.0 for k in range(5_000)]',
        '',
        'def retention(i):',
        '    def cost(params):',
        '        kept = 0.0',
        '        for loss in LOSSES:',
        '            kept += min(max(loss - abs(params[0]), 0.0), abs(params[1]))',
        '        return kept / len(LOSSES) + math.sqrt(abs(params[0]))',
        '    return optimize.minimize(cost, x0=[1000.0 + i, 5000.0], method="Nelder-Mead").x',
        '',
        'def _line(x, a, b):',
        '    return a * x + b',
        '',
        'def trend(i):',
        '    return curve_fit(_line, [1.0, 2.0, 3.0], [2.0, 4.0, 6.0 + i])[0]',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('retention')?.verdict, 'cpu', results.get('retention')?.evidence);
    assert.match(results.get('retention')?.evidence ?? '', /calls the Python function it is given/);
    assert.equal(results.get('trend')?.verdict, 'trivial', results.get('trend')?.evidence);
  });
  it('a SciPy fit calls its model with all of its x data at every evaluation (`curve_fit(model, xdata, …)` is `model(xdata, *params)`): numpy over 100,000 doses each time, native work that threads share, not a few numbers\' arithmetic', async () => {
    const results = await verdicts(
      [
        'import numpy as np',
        'from scipy.optimize import curve_fit',
        '',
        'def _removal(dose, top, half, hill):',
        '    return top * dose ** hill / (half ** hill + dose ** hill)',
        '',
        'def dose_fit(i, readings=100_000):',
        '    rng = np.random.default_rng(i)',
        '    dose = rng.uniform(1, 60, readings)',
        '    removal = rng.uniform(0, 1, readings)',
        '    (top, half, hill), _ = curve_fit(_removal, dose, removal, p0=[0.9, 10, 2])',
        '    return half',
        '',
        'XS = [float(k) for k in range(20_000)]',
        'YS = [2.0 * x for x in XS]',
        '',
        'def _ramp(xs, slope):',
        '    return [slope * x for x in xs]',
        '',
        'def ramp_fit(i):',
        '    return curve_fit(_ramp, XS, YS, p0=[1.0 + i])[0]',
        '',
      ].join('\n'),
    );
    const fit = results.get('dose_fit');
    assert.equal(fit?.verdict, 'native', fit?.evidence);
    assert.match(fit?.evidence ?? '', /_removal \(in a loop\): calls _removal, which does native CPU work/);
    // A model in Python over its x data: 20,000 points at each of ~100 evaluations, CPU work (processes), not ~100 points assumed.
    const ramp = results.get('ramp_fit');
    assert.equal(ramp?.verdict, 'cpu', ramp?.evidence);
    assert.ok((ramp?.sequential ?? 0) > 8 * 100 * 20_000 * 1e-8, `sequential ${ramp?.sequential}`);
  });
  it('numpy methods on a small slice of an array in a Python loop (a 2-row patch\'s mean) cost their call\'s overhead under the GIL: thousands of them are CPU work (processes), not native work priced as an array of unknown size', async () => {
    const results = await verdicts(
      [
        'import numpy as np',
        '',
        'def erode(i, droplets=400, steps=24):',
        '    height = np.zeros((256, 256))',
        '    total = 0.0',
        '    for _ in range(droplets):',
        '        for k in range(steps):',
        '            patch = height[k : k + 2, k : k + 2]',
        '            total += float(patch[:, 1].mean() - patch[:, 0].mean()) + float(patch[1, :].std())',
        '    return total',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('erode')?.verdict, 'cpu', results.get('erode')?.evidence);
  });

  it('numpy views (ravel, reshape, transpose, squeeze of a row; np.reshape) are a new shape of the same buffer, the call\'s own overhead under the GIL whatever the array\'s size: a loop of them over an array of unknown size is CPU work, not native work priced as arrays of unknown size', async () => {
    const results = await verdicts(
      [
        'import numpy as np',
        '',
        'def flatten_replicates(i, batch):',
        '    total = 0',
        '    for replicates in batch:',
        '        flat = replicates.ravel()',
        '        column = np.reshape(flat, (-1, 1)).transpose().squeeze()',
        '        total += len(column) + i',
        '    return total',
        '',
      ].join('\n'),
    );
    const result = results.get('flatten_replicates');
    assert.equal(result?.verdict, 'cpu', result?.evidence);
    assert.match(result?.evidence ?? '', /replicates\.ravel[^|]*view/);
  });

  it('numpy on an array of unknown size: the call\'s own overhead holds the GIL (py.numpy_call a ufunc, several for a function written in Python), only the work assumed beyond it is released', async () => {
    const results = await verdicts(['import numpy as np', '', 'def smooth(i, signal):', '    return np.sqrt(signal) + np.median(signal) + signal.cumsum()[-1] + i', ''].join('\n'));
    const evidence = results.get('smooth')?.evidence ?? '';
    for (const call of ['np.sqrt', 'np.median', 'signal.cumsum']) assert.match(evidence, new RegExp(`${call.replace('.', '\\.')}: the call's own overhead holds the GIL`), evidence);
  });

  it('Pillow calls that do no pass over the pixels: a crop copies its box\'s buffer (a 1024 × 1024 box of a large scan is ~0.1 ms, not a filter\'s pass), getdata() of an image in memory hands out its pixel sequence, putpalette() sets 768 bytes: trivial, not native work', async () => {
    const results = await verdicts(
      [
        'from PIL import Image',
        '',
        'SCAN = Image.new("L", (4096, 4096), 30)',
        'PALETTE = [v for v in range(256) for _ in range(3)]',
        '',
        'def quadrant(i):',
        '    box = SCAN.crop((i, i, i + 1024, i + 1024))',
        '    return box.width + i',
        '',
        'def pixel_values(i):',
        '    values = SCAN.getdata()',
        '    return len(values) + i',
        '',
        'def false_colour(i):',
        '    indexed = Image.new("P", (4096, 4096), i % 256)',
        '    indexed.putpalette(PALETTE)',
        '    return indexed.mode',
        '',
      ].join('\n'),
    );
    for (const name of ['quadrant', 'pixel_values', 'false_colour']) assert.equal(results.get(name)?.verdict, 'trivial', `${name}: ${results.get(name)?.evidence}`);
  });

  it('a match (re or regex match/search/fullmatch) is a Match whose methods read it: regex\'s captures(), capturesdict() and re\'s expand() are trivial, not calls the analysis cannot see', async () => {
    const results = await verdicts(
      [
        'import re',
        'import regex',
        '',
        'METAR = regex.compile(r"(?P<station>[A-Z]{4}) (?:(?P<clouds>(?:FEW|SCT|BKN)\\d{3}) ?)*")',
        'DATE = re.compile(r"(\\d{4})-(\\d{2})-(\\d{2})")',
        '',
        'def clouds(i):',
        '    found = METAR.match(f"LSZH SCT0{10 + i % 9} BKN025")',
        '    return found.captures("clouds"), found.capturesdict()',
        '',
        'def first_cloud(i):',
        '    return regex.search(r"(?P<c>\\w{3}\\d{3})", f"LSZH SCT0{i % 90}").captures("c")',
        '',
        'def day_first(i):',
        '    return DATE.fullmatch(f"2026-12-{1 + i % 28:02d}").expand(r"\\3.\\2.\\1")',
        '',
      ].join('\n'),
    );
    for (const name of ['clouds', 'first_cloud', 'day_first']) assert.equal(results.get(name)?.verdict, 'trivial', `${name}: ${results.get(name)?.evidence}`);
  });

  it('pixel by pixel in Python over an image the code makes (copied, its pixel access loaded, `width, height = img.size`) is CPU work for processes: copy() copies a buffer and load() of an image in memory decodes nothing, neither is a Pillow pass per pixel', async () => {
    const results = await verdicts(
      [
        'from PIL import Image',
        '',
        'def _scanned_form():',
        '    form = Image.new("L", (1240, 1754), 250)',
        '    form.putpixel((0, 0), 0)',
        '    return form',
        '',
        'FORM = _scanned_form()',
        '',
        'def redact(i, threshold=110):',
        '    scan = FORM.copy()',
        '    pixels = scan.load()',
        '    width, height = scan.size',
        '    blanked = 0',
        '    for y in range(height // 2, height):',
        '        for x in range(width):',
        '            if pixels[x, y] < threshold + i:',
        '                blanked += 1',
        '    return blanked',
        '',
        'def opened(path):',
        '    return Image.open(path).load()',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('redact')?.verdict, 'cpu', results.get('redact')?.evidence);
    assert.doesNotMatch(results.get('opened')?.evidence ?? '', /load: .*on data this small/, 'an image opened from a file is decoded by load()');
  });

  it('Brotli at its default and highest quality (11, as brotli.compress(data) or quality=11) costs several times quality 9 per byte', async () => {
    const results = await verdicts(
      [
        'import brotli',
        '',
        'DATA = b"ACGT" * 100_000',
        '',
        'def fast(i):',
        '    return len(brotli.compress(DATA, quality=9)) + i',
        '',
        'def smallest(i):',
        '    return len(brotli.compress(DATA, quality=11)) + i',
        '',
        'def default(i):',
        '    return len(brotli.compress(DATA)) + i',
        '',
      ].join('\n'),
    );
    const seconds = (name: string): number => results.get(name)?.sequential ?? 0;
    assert.ok(seconds('smallest') > 4 * seconds('fast'), `${seconds('smallest')} vs ${seconds('fast')}`);
    assert.equal(seconds('default'), seconds('smallest'));
    for (const name of ['fast', 'smallest', 'default']) assert.equal(results.get(name)?.verdict, 'native', results.get(name)?.evidence);
  });

  it('a compiled struct.Struct packs the few fields of its format: microseconds, not work of unknown size', async () => {
    const results = await verdicts(
      [
        'import struct',
        '',
        'LAYOUT = struct.Struct(">4sHHIIB3x")',
        '',
        'def payload(i):',
        '    return LAYOUT.pack(b"HX10", i % 40, i, 1_717_200_000 + i, 1_717_286_400 + i, 1)',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('payload')?.verdict, 'trivial', results.get('payload')?.evidence);
    assert.match(results.get('payload')?.evidence ?? '', /few fields of its format/);
  });

  it('hmac.new(key, message, digestmod) and its digest cost ~1.4 µs a pair in Python holding the GIL: 30,000 short payloads are CPU work, not a few cheap calls', async () => {
    const results = await verdicts(
      [
        'import hashlib',
        'import hmac',
        '',
        'PAYLOADS = [f"meter-{n:05d}".encode() for n in range(30_000)]',
        'KEY = b"gateway"',
        '',
        'def sign(i):',
        '    return sum(hmac.new(KEY, payload, hashlib.sha256).digest()[i % 32] for payload in PAYLOADS)',
        '',
      ].join('\n'),
    );
    const sign = results.get('sign');
    assert.equal(sign?.verdict, 'cpu', sign?.evidence);
    assert.ok((sign?.sequential ?? 0) > 8 * 8_000 * 1e-6, `sequential ${sign?.sequential}`);
  });

  it('an email built and written out with the email package is Python work holding the GIL (~0.14 ms a part, ~0.13 ms a message written), not I/O: its generator writes into a BytesIO', async () => {
    const results = await verdicts(
      [
        'from email.message import EmailMessage',
        '',
        'def mail_merge(i, donors=200):',
        '    size = 0',
        '    for k in range(donors):',
        '        message = EmailMessage()',
        '        message["To"] = f"donor{k}@example.org"',
        '        message.set_content(f"Thank you, donor {k}, for gift {i}.")',
        '        message.add_alternative(f"<p>Thank you, donor {k}.</p>", subtype="html")',
        '        size += len(message.as_bytes())',
        '    return size',
        '',
      ].join('\n'),
    );
    const merge = results.get('mail_merge');
    assert.equal(merge?.verdict, 'cpu', merge?.evidence);
    assert.match(merge?.evidence ?? '', /message\.as_bytes \(in a loop\): the email package writes the message out in Python/);
    assert.doesNotMatch(merge?.evidence ?? '', /waits for I\/O/);
  });

  it('pd.to_timedelta / pd.to_datetime of text parse each value holding the GIL (~2.5 µs a duration); with `unit=` numbers are converted in one vectorized pass', async () => {
    const results = await verdicts(
      [
        'import numpy as np',
        'import pandas as pd',
        '',
        'STOPS = pd.DataFrame({"arrival": [f"07:{k % 60:02d}:10" for k in range(120_000)], "days": [k % 30 for k in range(120_000)]})',
        '',
        'def dwell_text(i):',
        '    return pd.to_timedelta(STOPS["arrival"]).dt.total_seconds().sum() + i',
        '',
        'def dwell_days(i):',
        '    return pd.to_timedelta(STOPS["days"], unit="D").dt.total_seconds().sum() + i',
        '',
      ].join('\n'),
    );
    assert.equal(results.get('dwell_text')?.verdict, 'cpu', results.get('dwell_text')?.evidence);
    assert.match(results.get('dwell_text')?.evidence ?? '', /parses each text value in turn, holding the GIL/);
    assert.ok((results.get('dwell_text')?.sequential ?? 0) > 8 * 120_000 * 2e-6, `dwell_text: sequential ${results.get('dwell_text')?.sequential}`);
    assert.doesNotMatch(results.get('dwell_days')?.evidence ?? '', /parses each text value/);
    assert.ok((results.get('dwell_days')?.sequential ?? Infinity) < 8 * 120_000 * 2e-7, `dwell_days: sequential ${results.get('dwell_days')?.sequential}`);
  });

  it('Pillow\'s passes through a table of levels (point, histogram, ImageOps.autocontrast) cost a sixteenth of a filter\'s pass, so a rank filter beside them makes the work held (libkit25 yeast_viability_counts)', async () => {
    const results = await verdicts(
      [
        'import numpy as np',
        'from PIL import Image, ImageFilter, ImageOps',
        '',
        'def _slide(k):',
        '    field = np.random.default_rng(k).normal(180, 12, (2_400, 2_400))',
        '    return Image.fromarray(np.clip(field, 0, 255).astype(np.uint8), "L")',
        '',
        'def levels(i):',
        '    slide = ImageOps.autocontrast(_slide(i % 4), cutoff=1)',
        '    return slide.point(lambda v: 255 if v < 60 else 0).histogram()[255]',
        '',
        'def edges(i):',
        '    return _slide(i % 4).filter(ImageFilter.FIND_EDGES).histogram()[255]',
        '',
        'def counts(i):',
        '    slide = ImageOps.autocontrast(_slide(i % 4).filter(ImageFilter.GaussianBlur(3)), cutoff=1)',
        '    dead = slide.point(lambda v: 255 if v < 60 else 0).filter(ImageFilter.MaxFilter(3))',
        '    stained = slide.point(lambda v: 255 if v < 150 else 0).filter(ImageFilter.FIND_EDGES)',
        '    return dead.histogram()[255] / (stained.histogram()[255] + 1)',
        '',
      ].join('\n'),
    );
    const levels = results.get('levels')?.sequential ?? Infinity;
    const edges = results.get('edges')?.sequential ?? 0;
    assert.ok(levels < edges / 2, `three level-table passes ${levels} s against one filter pass ${edges} s`);
    assert.notEqual(results.get('counts')?.verdict, 'native', results.get('counts')?.evidence);
  });

  it('frame.apply(f, axis=1) makes a Series of every row and calls f on it, in Python (~3.4 µs a row); over columns, the default, f runs once a column', async () => {
    const frame = [
      'import pandas as pd',
      '',
      'CUSTOMERS = pd.DataFrame({"kwh": [k % 9000 for k in range(12_000)], "solar": [k % 5 == 0 for k in range(12_000)]})',
      '',
      'def _segment(customer):',
      '    if customer["solar"]:',
      '        return "prosumer"',
      '    return "heavy" if customer["kwh"] > 6000 else "standard"',
      '',
    ];
    const results = await verdicts(
      [
        ...frame,
        'def by_row(i):',
        '    return CUSTOMERS.apply(_segment, axis=1).value_counts().get("heavy", 0) + i',
        '',
        'def by_row_named(i):',
        '    return CUSTOMERS.apply(_segment, axis="columns").value_counts().get("heavy", 0) + i',
        '',
        'def by_column(i):',
        '    return CUSTOMERS.apply(len).sum() + i',
        '',
      ].join('\n'),
    );
    for (const name of ['by_row', 'by_row_named']) {
      assert.equal(results.get(name)?.verdict, 'cpu', results.get(name)?.evidence);
      assert.ok((results.get(name)?.sequential ?? 0) > 8 * 12_000 * 2e-6, `${name}: sequential ${results.get(name)?.sequential}`);
      assert.match(results.get(name)?.evidence ?? '', /makes a Series of each row/);
    }
    assert.ok((results.get('by_column')?.sequential ?? Infinity) < 8 * 12_000 * 1e-7, `by_column: sequential ${results.get('by_column')?.sequential}`);
  });
});

describe('compiled libraries on the right side of the GIL (issue 13, twenty-seventh session)', () => {
  it('pandas\' group-bys over a frame of 60,000 rows of 4 columns release the GIL (native, threads), as two threads measured 1.1-1.9x idle from 3×10^4 rows of 5 columns; over 5,000 rows each call\'s own overhead still holds it', async () => {
    const report = (name: string, rows: number) => [
      `def ${name}(i, bales=${rows}):`,
      '    generator = np.random.default_rng(i)',
      '    log = pd.DataFrame({',
      '        "material": generator.choice(["PET", "HDPE", "PP"], bales),',
      '        "shift": generator.choice(["early", "late", "night"], bales),',
      '        "kg": generator.normal(420, 60, bales),',
      '        "contamination": generator.beta(1.2, 30, bales),',
      '    })',
      '    report = log.groupby(["material", "shift"]).agg(tonnes=("kg", "sum"), contamination=("contamination", "mean"))',
      '    return len(report), float(log.groupby("material")["contamination"].mean().max())',
      '',
    ];
    const results = await verdicts(['import numpy as np', 'import pandas as pd', '', ...report('month_of_bales', 60_000), ...report('day_of_bales', 5_000)].join('\n'));
    const month = results.get('month_of_bales');
    assert.equal(month?.verdict, 'native', month?.evidence);
    assert.match(month?.evidence ?? '', /log\.groupby\(…\)\.agg: [^|]*overhead holds it\) \|/);
    const day = results.get('day_of_bales');
    assert.notEqual(day?.verdict, 'native', day?.evidence);
    assert.match(day?.evidence ?? '', /log\.groupby\(…\)\.agg: [^|]*on data this small/);
  });
});

describe('compiled routines whose threads fight (issue 13, twenty-ninth session)', () => {
  it('SciPy\'s interpolators over a Delaunay triangulation call OpenBLAS per triangle, whose threads fight in a thread pool: processes (cpu), as libkit27 thickness_map_interpolate measured; a triangulation alone and a k-d tree do not', async () => {
    const results = await verdicts([
      'import numpy as np',
      'from scipy.interpolate import griddata',
      'from scipy.spatial import Delaunay, cKDTree',
      '',
      'def thickness_map(i, sites=7_000):',
      '    generator = np.random.default_rng(i)',
      '    x, y = generator.random(sites), generator.random(sites)',
      '    axis = np.linspace(0, 1, 300)',
      '    gx, gy = np.meshgrid(axis, axis)',
      '    return float(np.nanmean(griddata((x, y), x + y, (gx, gy), method="cubic")))',
      '',
      'def triangulation(i):',
      '    points = np.random.default_rng(i).random((7_000, 2))',
      '    return len(Delaunay(points).simplices)',
      '',
    ].join('\n'));
    const interpolated = results.get('thickness_map');
    assert.equal(interpolated?.verdict, 'cpu', interpolated?.evidence);
    assert.match(interpolated?.evidence ?? '', /griddata: interpolates over a Delaunay triangulation: [^|]*OpenBLAS's threads fight/);
    assert.match(interpolated?.evidence ?? '', /processes/);
    assert.doesNotMatch(results.get('triangulation')?.evidence ?? '', /fight/);
  });

  it('numpy\'s dense LAPACK solvers are priced by their multiply-adds; on a large matrix OpenBLAS\'s threads fight in a thread pool: processes (cpu), as libkit30 ftir_calibration measured; a small system is not fought over', async () => {
    const results = await verdicts([
      'import numpy as np',
      '',
      'def calibration(i, spectra=1_000, wavenumbers=400):',
      '    generator = np.random.default_rng(i)',
      '    absorbance = generator.normal(0.0, 1.0, (spectra, wavenumbers))',
      '    coefficients, residuals, _, _ = np.linalg.lstsq(absorbance, generator.normal(0.0, 1.0, spectra), rcond=None)',
      '    return float(np.abs(coefficients).max())',
      '',
      'def projection(i, regions=900):',
      '    generator = np.random.default_rng(i)',
      '    transfers = generator.random((regions, regions)) * 0.001 + np.eye(regions) * 2.0',
      '    short = 0',
      '    for week in range(3):',
      '        stock = np.linalg.solve(transfers, generator.gamma(4.0, 20.0, regions) * (1 + week * 0.1))',
      '        short += int((stock < 30).sum())',
      '    return short',
      '',
      'def small_fit(i):',
      '    design = np.random.default_rng(i).random((40, 3))',
      '    return np.linalg.lstsq(design, np.ones(40), rcond=None)[0]',
      '',
    ].join('\n'));
    const fitted = results.get('calibration');
    assert.equal(fitted?.verdict, 'cpu', fitted?.evidence);
    assert.match(fitted?.evidence ?? '', /np\.linalg\.lstsq: solves in LAPACK [^|]*OpenBLAS's own threads [^|]*fight/);
    assert.match(fitted?.evidence ?? '', /processes/);
    // Threads fighting over OpenBLAS spin on every core (measured CPU over wall ~2): not a wait, whatever pool is best.
    assert.notEqual(results.get('projection')?.verdict, 'io', results.get('projection')?.evidence);
    assert.match(results.get('projection')?.evidence ?? '', /np\.linalg\.solve: [^|]*fight/);
    assert.doesNotMatch(results.get('small_fit')?.evidence ?? '', /fight/);
  });
});

describe('Decimal arithmetic typed, then priced (issue 13, thirty-second session)', () => {
  it('Decimal arithmetic is priced per operation where an operand is typed a Decimal (~0.1 µs a construction, ~30 ns an operator, ~0.2 µs a quantize), through a method of an arithmetic result, the operand the code types, a conditional\'s branch and a function\'s own mapping of Decimals', async () => {
    const results = await verdicts(
      [
        'import random',
        'from decimal import ROUND_HALF_UP, Decimal',
        '',
        'PENNY = Decimal("0.01")',
        'VAT = Decimal("0.20")',
        'PRICES = {"consultation": Decimal("48.50"), "x-ray": Decimal("160.00"), "spay": Decimal("295.00")}',
        'RATES = {"standard": "103.70", "lower": "3.30"}',
        '',
        '',
        'def invoice_totals(i, invoices=20_000):',
        '    rnd = random.Random(i)',
        '    total = Decimal(0)',
        '    for _ in range(invoices):',
        '        amount = PRICES[rnd.choice(("consultation", "x-ray", "spay"))] * Decimal(rnd.randrange(1, 4))',
        '        total += (amount * (1 + VAT)).quantize(PENNY, rounding=ROUND_HALF_UP)',
        '    return str(total)',
        '',
        '',
        'def _loads(rnd, count):',
        '    for _ in range(count):',
        '        yield Decimal(rnd.randrange(1, 3_000)) / 100, rnd.choice(("standard", "lower"))',
        '',
        '',
        'def levy_ledger(i, loads=20_000):',
        '    rnd = random.Random(i)',
        '    rates = {name: Decimal(rate) for name, rate in RATES.items()}',
        '    due = Decimal(0)',
        '    for tonnes, waste in _loads(rnd, loads):',
        '        due += (tonnes * rates[waste]).quantize(PENNY, rounding=ROUND_HALF_UP)',
        '    return str(due)',
        '',
        '',
        'def gate_fees(i, loads=20_000):',
        '    rnd = random.Random(i)',
        '    due = Decimal(0)',
        '    for tonnes, waste in _loads(rnd, loads):',
        '        rate = Decimal("0") if waste == "lower" else VAT',
        '        fee = tonnes * rate',
        '        due += fee.quantize(PENNY, rounding=ROUND_HALF_UP)',
        '    return str(due)',
        '',
      ].join('\n'),
    );
    const invoices = results.get('invoice_totals');
    assert.equal(invoices?.verdict, 'cpu', invoices?.evidence);
    assert.match(invoices?.evidence ?? '', /PRICES\[\] \* … \(in a loop\): decimal arithmetic/);
    assert.match(invoices?.evidence ?? '', /amount\.quantize \(in a loop\): decimal arithmetic/);
    // 20,000 lines of a few Decimal operations and two draws: ~0.15 s for 8 calls, not seconds at a 10 µs prior a call.
    assert.ok((invoices?.sequential ?? 0) > 0.05 && (invoices?.sequential ?? 0) < 0.5, String(invoices?.sequential));
    // `tonnes` is not typed; `rates[waste]`, an item of the function's own mapping of Decimals, is.
    assert.match(results.get('levy_ledger')?.evidence ?? '', /tonnes\.quantize \(in a loop\): decimal arithmetic/);
    // `fee = tonnes * rate`, `rate` a conditional whose branches are Decimals.
    assert.match(results.get('gate_fees')?.evidence ?? '', /fee\.quantize \(in a loop\): decimal arithmetic/);
  });
});

describe('numpy.linalg\'s LU priced by its cube (issue 13, thirty-second session)', () => {
  it('np.linalg.solve of an n × n system is an LU of ⅔n³ flops on OpenBLAS\'s threads, not work per element; a small one stays on the calling thread', async () => {
    const results = await verdicts(
      [
        'import numpy as np',
        '',
        'def stock_projection(i, regions=900):',
        '    generator = np.random.default_rng(i)',
        '    transfers = generator.random((regions, regions)) + np.eye(regions) * regions',
        '    return np.linalg.solve(transfers, generator.random(regions))',
        '',
        'def small_projection(i, regions=30):',
        '    generator = np.random.default_rng(i)',
        '    transfers = generator.random((regions, regions)) + np.eye(regions) * regions',
        '    return np.linalg.solve(transfers, generator.random(regions))',
        '',
      ].join('\n'),
    );
    const large = results.get('stock_projection');
    assert.match(large?.evidence ?? '', /np\.linalg\.solve: [^|]*OpenBLAS's own threads/);
    // 2/3 · 900³ flops ≈ 0.49 GFlop a call: milliseconds, not the ~1 ms of 810,000 elements' element-wise work, for 8 calls.
    assert.ok((large?.sequential ?? 0) > 0.05, String(large?.sequential));
    assert.doesNotMatch(results.get('small_projection')?.evidence ?? '', /OpenBLAS/);
  });
});
