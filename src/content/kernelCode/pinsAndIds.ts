/**
 * Kernel pseudo-code: the ways to reach a BPF object other than holding its fd: bpffs pins
 * (kernel/bpf/inode.c) and the GET_FD_BY_ID commands (kernel/bpf/syscall.c). Our own
 * paraphrase of the kernel's code, not its source.
 */
import {
  calls,
  code,
  INODE_C,
  L,
  on,
  ret,
  SYSCALL_C,
  weak,
  any,
  type KernelFunctionCode,
} from './dsl';

/** The references `bpf_any_get` takes, by the pinned object's type. */
const ANY_GET = ['bpf_prog_inc', 'bpf_map_inc_with_uref', 'bpf_link_inc'];
/** The references `bpf_any_put` drops. */
const ANY_PUT = ['bpf_prog_put', 'bpf_map_put_with_uref', 'bpf_link_put'];

export const PINS_AND_IDS: readonly KernelFunctionCode[] = [
  code('bpf_obj_pin_user', INODE_C, [
    L('int bpf_obj_pin_user(u32 ufd, int path_fd, const char __user *pathname)'),
    L(
      '  raw = bpf_fd_probe_obj(ufd, &type);     /* prog, map (with uref) or link: a ref */',
      on(ret('EBADF')),
    ),
    L('  if (IS_ERR(raw)) return PTR_ERR(raw);'),
    L('  ret = bpf_obj_do_pin(path_fd, pathname, raw, type);', on(ret(['EPERM', 'EEXIST']))),
    L(
      "  /* a new inode in bpffs keeps the probe's reference: i_private = raw */",
      calls(...ANY_GET),
    ),
    L('  if (ret != 0) bpf_any_put(raw, type);'),
    L('  return ret;', weak(on(any))),
  ]),

  code('bpf_obj_get_user', INODE_C, [
    L('int bpf_obj_get_user(int path_fd, const char __user *pathname, int flags)'),
    L('  raw = bpf_obj_do_get(path_fd, pathname, &type, f_flags);', on(ret('ENOENT'))),
    L('  /*   → bpf_any_get(inode->i_private, type): a reference for the new file */'),
    L('  if (IS_ERR(raw)) return PTR_ERR(raw);'),
    L(
      '  ret = bpf_prog_new_fd(raw) | bpf_map_new_fd(raw, f_flags) | bpf_link_new_fd(raw);',
      calls(...ANY_GET),
    ),
    L('  if (ret < 0) bpf_any_put(raw, type);'),
    L('  return ret;', weak(on(any))),
  ]),

  code('bpf_free_inode', INODE_C, [
    L('static void bpf_free_inode(struct inode *inode)     /* unlink of the last name */'),
    L('  if (S_ISLNK(inode->i_mode)) kfree(inode->i_link);'),
    L('  if (!bpf_inode_type(inode, &type))'),
    L(
      "    bpf_any_put(inode->i_private, type);   /* the pin's reference goes */",
      calls(...ANY_PUT),
    ),
    L('  free_inode_nonrcu(inode);', on(ret('ENOENT')), weak(on(any))),
  ]),

  code('bpf_prog_get_fd_by_id', SYSCALL_C, [
    L('static int bpf_prog_get_fd_by_id(const union bpf_attr *attr)'),
    L('  prog = bpf_prog_by_id(attr->prog_id);'),
    L(
      '  /*   idr_find(&prog_idr, id), then bpf_prog_inc_not_zero(prog): -ENOENT if gone */',
      on(ret('ENOENT')),
    ),
    L('  if (IS_ERR(prog)) return PTR_ERR(prog);'),
    L('  fd = bpf_prog_new_fd(prog);', calls('bpf_prog_inc'), weak(on(any))),
    L('  if (fd < 0) bpf_prog_put(prog);'),
    L('  return fd;'),
  ]),

  code('bpf_map_get_fd_by_id', SYSCALL_C, [
    L('static int bpf_map_get_fd_by_id(const union bpf_attr *attr)'),
    L('  map = idr_find(&map_idr, attr->map_id);'),
    L(
      '  map = map ? __bpf_map_inc_not_zero(map, true) : ERR_PTR(-ENOENT);  /* ref + uref */',
      on(ret('ENOENT')),
      calls('bpf_map_inc_with_uref'),
    ),
    L('  if (IS_ERR(map)) return PTR_ERR(map);'),
    L('  fd = bpf_map_new_fd(map, f_flags);', weak(on(any))),
    L('  if (fd < 0) bpf_map_put_with_uref(map);'),
    L('  return fd;'),
  ]),

  code('bpf_link_get_fd_by_id', SYSCALL_C, [
    L('static int bpf_link_get_fd_by_id(const union bpf_attr *attr)'),
    L('  link = bpf_link_by_id(attr->link_id);'),
    L(
      '  /*   idr_find(&link_idr, id), then bpf_link_inc_not_zero(link): -ENOENT if gone */',
      on(ret('ENOENT')),
    ),
    L('  if (IS_ERR(link)) return PTR_ERR(link);'),
    L('  fd = bpf_link_new_fd(link);', calls('bpf_link_inc'), weak(on(any))),
    L('  if (fd < 0) bpf_link_put_direct(link);'),
    L('  return fd;'),
  ]),
];
