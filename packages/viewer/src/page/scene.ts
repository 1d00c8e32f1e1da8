/**
 * The task drawn with three.js from the MuJoCo model itself: one mesh per geom (its type, size and
 * colour or material, the floor's checker texture from the model's texture data), the model's
 * lights, and its first camera (the tasks' `track` camera follows the body's centre of mass; MuJoCo
 * computes its pose in mj_forward). Each frame copies the geoms' world poses (geom_xpos, geom_xmat)
 * and the camera's (cam_xpos, cam_xmat) from MjData: nothing is simulated here.
 */
import * as THREE from 'three';
import type { MjData, MjModel } from '@mujoco/mujoco';

/** mjtGeom: the geom types the tasks use (hfield, mesh and the rest are not drawn). */
const PLANE = 0;
const SPHERE = 2;
const CAPSULE = 3;
const ELLIPSOID = 4;
const CYLINDER = 5;
const BOX = 6;
/** mjtTextureRole: the colour slot of a material's textures. */
const TEXROLE_RGB = 1;
const TEXROLES = 10;

/** A plane of size 0 is infinite in MuJoCo; it is drawn this large. */
const INFINITE_PLANE_HALF = 50;

type Views = Record<string, ArrayLike<number>>;

function floorTexture(model: MjModel, textureId: number, repeat: [number, number]): THREE.Texture | null {
  const m = model as unknown as Views & { ntex: number };
  if (textureId < 0 || textureId >= m.ntex) return null;
  const width = m.tex_width[textureId];
  const height = m.tex_height[textureId];
  const channels = m.tex_nchannel[textureId];
  const start = m.tex_adr[textureId];
  const source = m.tex_data as ArrayLike<number>;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) rgba[4 * i + c] = source[start + i * channels + Math.min(c, channels - 1)];
    rgba[4 * i + 3] = channels === 4 ? source[start + i * channels + 3] : 255;
  }
  const texture = new THREE.DataTexture(rgba, width, height, THREE.RGBAFormat);
  texture.wrapS = THREE.RepeatWrapping;
  texture.wrapT = THREE.RepeatWrapping;
  texture.repeat.set(repeat[0], repeat[1]);
  texture.magFilter = THREE.NearestFilter;
  texture.colorSpace = THREE.SRGBColorSpace;
  texture.needsUpdate = true;
  return texture;
}

function geometryOf(type: number, size: ArrayLike<number>, at: number): THREE.BufferGeometry | null {
  const [a, b, c] = [size[3 * at], size[3 * at + 1], size[3 * at + 2]];
  switch (type) {
    case PLANE: {
      const geometry = new THREE.PlaneGeometry(
        2 * (a > 0 ? a : INFINITE_PLANE_HALF),
        2 * (b > 0 ? b : INFINITE_PLANE_HALF),
      );
      return geometry;
    }
    case SPHERE:
      return new THREE.SphereGeometry(a, 24, 16);
    case ELLIPSOID:
      return new THREE.SphereGeometry(1, 24, 16).scale(a, b, c);
    case CAPSULE:
      // three's capsule runs along y, MuJoCo's along the geom's z
      return new THREE.CapsuleGeometry(a, 2 * b, 8, 16).rotateX(Math.PI / 2);
    case CYLINDER:
      return new THREE.CylinderGeometry(a, a, 2 * b, 24).rotateX(Math.PI / 2);
    case BOX:
      return new THREE.BoxGeometry(2 * a, 2 * b, 2 * c);
    default:
      return null;
  }
}

export class TaskScene {
  readonly scene = new THREE.Scene();
  readonly camera: THREE.PerspectiveCamera;
  private readonly meshes: Array<{ geom: number; mesh: THREE.Mesh }> = [];
  private readonly lights: Array<{ light: number; object: THREE.DirectionalLight }> = [];
  private readonly model: MjModel;
  private readonly rotation = new THREE.Matrix4();

  constructor(model: MjModel, aspect: number) {
    this.model = model;
    const m = model as unknown as Views & { ngeom: number; ncam: number; nlight: number; nmat: number };
    this.scene.background = new THREE.Color(0.62, 0.72, 0.82);
    this.scene.add(new THREE.AmbientLight(0xffffff, 0.45));
    for (let g = 0; g < m.ngeom; g++) {
      const rgbaAt = 4 * g;
      let rgba = [0, 1, 2, 3].map((k) => m.geom_rgba[rgbaAt + k]);
      const material = m.geom_matid[g];
      let texture: THREE.Texture | null = null;
      if (material >= 0 && material < m.nmat) {
        rgba = [0, 1, 2, 3].map((k) => m.mat_rgba[4 * material + k]);
        texture = floorTexture(model, m.mat_texid[TEXROLES * material + TEXROLE_RGB], [
          m.mat_texrepeat[2 * material],
          m.mat_texrepeat[2 * material + 1],
        ]);
      }
      if (rgba[3] === 0) continue;
      const geometry = geometryOf(m.geom_type[g], m.geom_size, g);
      if (geometry === null) continue;
      const mesh = new THREE.Mesh(
        geometry,
        new THREE.MeshStandardMaterial({
          color: new THREE.Color(rgba[0], rgba[1], rgba[2]),
          map: texture,
          transparent: rgba[3] < 1,
          opacity: rgba[3],
          roughness: 0.7,
          metalness: 0.05,
        }),
      );
      mesh.matrixAutoUpdate = false;
      this.scene.add(mesh);
      this.meshes.push({ geom: g, mesh });
    }
    for (let l = 0; l < m.nlight; l++) {
      const diffuse = [0, 1, 2].map((k) => m.light_diffuse[3 * l + k]);
      const object = new THREE.DirectionalLight(new THREE.Color(diffuse[0], diffuse[1], diffuse[2]), 2.2);
      this.scene.add(object, object.target);
      this.lights.push({ light: l, object });
    }
    if (m.nlight === 0) {
      const fallback = new THREE.DirectionalLight(0xffffff, 2);
      fallback.position.set(-1, -2, 4);
      this.scene.add(fallback);
    }
    const fovy = m.ncam > 0 ? m.cam_fovy[0] : 45;
    this.camera = new THREE.PerspectiveCamera(fovy, aspect, 0.05, 200);
    this.camera.matrixAutoUpdate = false;
  }

  /** Copy the poses MuJoCo computed into the meshes, the lights and the camera. */
  update(data: MjData): void {
    const d = data as unknown as Views;
    const m = this.model as unknown as Views & { ncam: number };
    for (const { geom, mesh } of this.meshes) {
      this.setPose(mesh.matrix, d.geom_xpos, d.geom_xmat, geom);
      mesh.matrixWorldNeedsUpdate = true;
    }
    for (const { light, object } of this.lights) {
      const [px, py, pz] = [0, 1, 2].map((k) => d.light_xpos[3 * light + k]);
      const [dx, dy, dz] = [0, 1, 2].map((k) => d.light_xdir[3 * light + k]);
      object.position.set(px, py, pz);
      object.target.position.set(px + dx, py + dy, pz + dz);
      object.target.updateMatrixWorld();
    }
    if (m.ncam > 0) {
      // a MuJoCo camera looks along its frame's -z with y up, as a three.js camera does
      this.setPose(this.camera.matrix, d.cam_xpos, d.cam_xmat, 0);
    } else {
      const com = [0, 1, 2].map((k) => d.subtree_com[3 + k]);
      this.camera.matrix.lookAt(
        new THREE.Vector3(com[0], com[1] - 3, com[2] + 0.5),
        new THREE.Vector3(com[0], com[1], com[2]),
        new THREE.Vector3(0, 0, 1),
      );
      this.camera.matrix.setPosition(com[0], com[1] - 3, com[2] + 0.5);
    }
    this.camera.matrixWorldNeedsUpdate = true;
    this.camera.updateMatrixWorld(true);
  }

  private setPose(target: THREE.Matrix4, xpos: ArrayLike<number>, xmat: ArrayLike<number>, i: number): void {
    const r = (k: number) => xmat[9 * i + k];
    this.rotation.set(
      r(0),
      r(1),
      r(2),
      xpos[3 * i],
      r(3),
      r(4),
      r(5),
      xpos[3 * i + 1],
      r(6),
      r(7),
      r(8),
      xpos[3 * i + 2],
      0,
      0,
      0,
      1,
    );
    target.copy(this.rotation);
  }

  dispose(): void {
    for (const { mesh } of this.meshes) {
      mesh.geometry.dispose();
      const material = mesh.material as THREE.MeshStandardMaterial;
      material.map?.dispose();
      material.dispose();
    }
  }
}
