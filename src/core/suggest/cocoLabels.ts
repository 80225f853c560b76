/** The 80 COCO detection labels (YOLOX order) and the entity words that name each. */

/** COCO's 80 detection classes in the order detectors trained on COCO emit them. */
export const COCO_LABELS: readonly string[] = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
];

/**
 * Singular entity words mapped to the COCO label that detects them. People and body parts
 * go to `person` (a hand is found inside a person box). Words with no COCO class (cloth,
 * towel, blanket, pillow, wallpaper...) are deliberately absent: no detector box is then
 * proposed, rather than a wrong one, and the annotator draws it or asks SAM with a click.
 */
export const COCO_SYNONYMS: Readonly<Record<string, string>> = {
  person: 'person', girl: 'person', boy: 'person', child: 'person', kid: 'person', man: 'person', woman: 'person',
  baby: 'person', toddler: 'person', lady: 'person', guy: 'person', human: 'person', people: 'person', adult: 'person',
  someone: 'person', hand: 'person', arm: 'person', player: 'person', sibling: 'person', brother: 'person', sister: 'person',
  bike: 'bicycle', bicycle: 'bicycle', car: 'car', motorbike: 'motorcycle', motorcycle: 'motorcycle', plane: 'airplane',
  airplane: 'airplane', bus: 'bus', train: 'train', truck: 'truck', boat: 'boat', bench: 'bench', bird: 'bird', cat: 'cat',
  kitten: 'cat', dog: 'dog', puppy: 'dog', horse: 'horse', backpack: 'backpack', rucksack: 'backpack', umbrella: 'umbrella',
  handbag: 'handbag', purse: 'handbag', bag: 'handbag', tie: 'tie', suitcase: 'suitcase', luggage: 'suitcase',
  frisbee: 'frisbee', ball: 'sports ball', kite: 'kite', skateboard: 'skateboard', bottle: 'bottle', wineglass: 'wine glass',
  glass: 'wine glass', cup: 'cup', mug: 'cup', fork: 'fork', knife: 'knife', spoon: 'spoon', bowl: 'bowl', banana: 'banana',
  apple: 'apple', sandwich: 'sandwich', orange: 'orange', broccoli: 'broccoli', carrot: 'carrot', pizza: 'pizza',
  donut: 'donut', doughnut: 'donut', cake: 'cake', chair: 'chair', stool: 'chair', armchair: 'chair', couch: 'couch',
  sofa: 'couch', plant: 'potted plant', houseplant: 'potted plant', bed: 'bed', table: 'dining table', desk: 'dining table',
  toilet: 'toilet', tv: 'tv', television: 'tv', monitor: 'tv', screen: 'tv', laptop: 'laptop', computer: 'laptop',
  mouse: 'mouse', remote: 'remote', controller: 'remote', keyboard: 'keyboard', phone: 'cell phone', smartphone: 'cell phone',
  cellphone: 'cell phone', microwave: 'microwave', oven: 'oven', stove: 'oven', toaster: 'toaster', sink: 'sink',
  basin: 'sink', washbasin: 'sink', refrigerator: 'refrigerator', fridge: 'refrigerator', book: 'book', notebook: 'book',
  clock: 'clock', vase: 'vase', scissors: 'scissors', teddy: 'teddy bear', plush: 'teddy bear', hairdryer: 'hair drier',
  dryer: 'hair drier', toothbrush: 'toothbrush',
};
