// An IoT sensor network with a large array of readings, generated deterministically.
function pseudoRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export function iotNetwork(readingCount = 600): Record<string, unknown> {
  const random = pseudoRandom(2024);
  const sensors = Array.from({ length: 12 }, (_, index) => ({
    sensor_id: `sn-${String(index + 1).padStart(3, '0')}`,
    type: index % 3 === 0 ? 'temperature_humidity' : index % 3 === 1 ? 'air_quality' : 'vibration',
    location: { building: `B${(index % 3) + 1}`, floor: (index % 4) + 1, zone: `Z${index % 5}` },
    firmware: '3.2.1',
  }));
  const readings = Array.from({ length: readingCount }, (_, index) => ({
    sensor_id: sensors[index % sensors.length]!.sensor_id,
    timestamp: `2024-05-01T${String(Math.floor(index / 60) % 24).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00Z`,
    temperature_c: Math.round((19 + random() * 6) * 100) / 100,
    humidity_pct: Math.round((35 + random() * 20) * 10) / 10,
    battery_pct: Math.round(60 + random() * 40),
    status: random() > 0.96 ? 'warning' : 'ok',
  }));
  return {
    network_id: 'plant-oslo-01',
    site: {
      name: 'Oslo assembly plant',
      timezone: 'Europe/Oslo',
      gateway: { id: 'gw-7', ip: '10.0.7.1', firmware: '1.9.4' },
    },
    sensors,
    readings,
    alerts: [
      { sensor_id: 'sn-005', level: 'warning', message: 'Battery below 65% for more than two hours.' },
      { sensor_id: 'sn-009', level: 'info', message: 'Vibration baseline recalibrated after maintenance.' },
    ],
  };
}
