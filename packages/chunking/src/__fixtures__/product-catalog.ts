// An e-commerce product catalog: store facts and products with variants, attributes and reviews.
const colours = ['black', 'forest green', 'glacier blue', 'rust'];

function product(index: number) {
  const name = [
    'Trail Shell Jacket',
    'Alpine Down Vest',
    'Fjord Rain Pants',
    'Summit Wool Base Layer',
    'Ridge Hiking Boot',
  ][index % 5]!;
  return {
    sku: `FS-${1000 + index}`,
    name: `${name} ${Math.floor(index / 5) + 1}`,
    category: index % 5 === 4 ? 'footwear' : 'apparel',
    price_nok: 899 + (index % 7) * 200,
    on_sale: index % 4 === 0,
    description: `The ${name.toLowerCase()} is made for changing Nordic weather: light enough for long days on the trail, with recycled fabrics and a fit that layers well over a fleece.`,
    attributes: {
      material: index % 2 === 0 ? 'recycled polyester' : 'merino wool',
      weight_g: 300 + index * 7,
      waterproof: index % 3 !== 1,
    },
    variants: colours.slice(0, 2 + (index % 3)).map((colour, variant) => ({
      sku: `FS-${1000 + index}-${variant}`,
      colour,
      sizes: ['S', 'M', 'L', 'XL'],
      stock: (index * 13 + variant * 7) % 40,
    })),
    rating: { average: 3.8 + (index % 10) / 10, count: 12 + index },
  };
}

export const productCatalog = {
  store: { id: 'fjellsport-no', name: 'Fjellsport', currency: 'NOK', country: 'NO' },
  updated_at: '2024-04-02T08:00:00Z',
  products: Array.from({ length: 30 }, (_, index) => product(index)),
};
